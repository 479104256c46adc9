"""steungroep: the steungroepaanpak (No Blame support group method) for schools.

The package is laid out by feature; see the README's "Where things are"."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from steungroep.core import config as config_module

PACKAGE = Path(__file__).resolve().parent


def instance_folder() -> str | None:
    """Where the SQLite database and the generated secret key live without DATABASE_URL and
    SECRET_KEY: STEUNGROEP_INSTANCE when set; in a checkout Flask's own `instance/` beside the
    package; for a package installed into a virtualenv never inside it (rebuilding the
    virtualenv for an upgrade would delete the data), but $XDG_DATA_HOME/steungroep
    (~/.local/share/steungroep)."""
    if os.environ.get("STEUNGROEP_INSTANCE"):
        return os.environ["STEUNGROEP_INSTANCE"]
    if Path(sys.prefix).resolve() in PACKAGE.parents:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return str(Path(base) / "steungroep")
    return None


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then the environment, then test_config."""
    # templates/ (the base page, forms, errors) and static/ sit inside the package, beside
    # each feature's own templates/, so the wheel ships them all.
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_folder())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config_module.load(app.instance_path))
    if test_config:
        app.config.update(test_config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
    else:
        # A pooled connection is checked before use: after a database restart the first
        # request on each stale connection would otherwise fail.
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})

    from steungroep import cli
    from steungroep.core import errors, i18n, requestlog, security, timing
    from steungroep.core.extensions import babel, csrf, db, limiter, migrate
    from steungroep.web import audit, metrics, pages, writes

    db.init_app(app)
    timing.init_app(app, lambda: db.engine)
    requestlog.init_app(app)
    metrics.init_app(app)
    writes.init_app()
    migrate.init_app(app, db, directory=str(PACKAGE / "migrations"), render_as_batch=True)
    app.before_request(security.allow_uploads)  # before the CSRF check reads the form
    csrf.init_app(app)
    i18n.init_app(app, babel)
    limiter.init_app(app)
    security.init_app(app)
    audit.init_app(app)
    pages.init_app(app)
    errors.init_app(app, abandon=writes.abandon_transaction)
    _register_features(app)
    cli.init_app(app)
    if app.config.get("MAIL_SERVER") and not app.config.get("PUBLIC_URL"):
        app.logger.warning(
            "MAIL_SERVER is set but PUBLIC_URL is not: no e-mail is sent until PUBLIC_URL "
            "holds the address of the app (the links in the reminders are built on it)."
        )
    if test_config is None and app.config.get("GC_FREEZE", True):
        # Everything built so far (the imported libraries, the app) lives as long as the
        # process: keep it out of the garbage collector's full passes, which otherwise walk
        # it all and add 50–60 ms to a request now and then (measured on the access copy).
        gc.freeze()
    return app


def _register_features(app: Flask) -> None:
    """Each feature registers its own blueprints and the names its pages share."""
    from steungroep.admin import views as admin
    from steungroep.archive import views as archive
    from steungroep.auth import views as auth
    from steungroep.cards import views as cards
    from steungroep.cases import views as cases
    from steungroep.contacts import views as contacts
    from steungroep.dossier import views as dossier
    from steungroep.evaluations import views as evaluations
    from steungroep.group import views as group
    from steungroep.letterbox import views as letterbox
    from steungroep.meeting import views as meeting
    from steungroep.overview import views as overview
    from steungroep.planning import views as planning
    from steungroep.practice import views as practice
    from steungroep.records import views as records
    from steungroep.settings import views as settings
    from steungroep.stappenplan import views as stappenplan
    from steungroep.statistics import views as statistics
    from steungroep.talk import views as talk
    from steungroep.web import health

    for feature in (auth, cases, talk, group, meeting, evaluations, cards, planning, overview,
                    statistics, dossier, records, health, admin, archive, contacts, stappenplan,
                    settings, letterbox, practice):
        feature.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: WAL mode, enforced foreign keys, and a busy timeout."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()
