"""Signing in with the school's own accounts: OpenID Connect through Authlib.

The authorization code flow with PKCE (S256), ``state`` and ``nonce``: Authlib keeps the
state, the code verifier and the nonce in the session cookie under the state's name and
removes them when the provider comes back, so a callback replayed (or one from another
browser) finds nothing and is refused. The ID token's signature (the provider's published
keys), issuer (the school's own), audience (our client id), expiry and nonce are checked
before anyone is looked up. Each school has its own client, built from its row the first
time this process needs it and rebuilt when the row changes.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import OAuth, OAuthError
from flask import current_app, redirect, request, session, url_for
from flask_login import current_user
from joserfc.errors import JoseError
from sqlalchemy import exists, select

from steungroep.core.extensions import db
from steungroep.core.sealed import unseal
from steungroep.core.security import keyed_digest, public_address
from steungroep.domain import DomainError
from steungroep.domain.i18n import N_
from steungroep.domain.sso import password_refusal
from steungroep.models import ROLE_ADMIN, School, SchoolSignIn, User, user_schools

log = logging.getLogger(__name__)

SCHOOL_COOKIE = "steungroep_school"  # the school this device last logged in through
SSO_KEY = "sso_school"  # in the session: logged in through this school's provider
REAUTH_KEY = "sso_again"  # in the session: the provider must check the person again
PENDING_KEY = "sso_pending"  # in the session: state -> school of logins under way
MAX_PENDING = 5

oauth = OAuth()
SCOPE = "openid email profile"
TIMEOUT_SECONDS = 10
DISCOVERY = "/.well-known/openid-configuration"

UNREACHABLE = N_("De inlogdienst van je school is nu niet bereikbaar. Probeer het zo opnieuw, "
                 "of log in met je wachtwoord.")
NOT_SET_UP = N_("Inloggen met het schoolaccount is voor deze school niet (meer) goed ingesteld. "
                "Vraag de beheerder om de instellingen na te kijken.")
EXPIRED = N_("Deze inlogpoging is verlopen of al gebruikt. Kies opnieuw ‘Inloggen met je "
             "schoolaccount’.")
CANCELLED = N_("Je hebt het inloggen bij je school afgebroken.")
BAD_TOKEN = N_("Het bewijs van je inlogdienst klopt niet, dus je bent niet ingelogd. Probeer "
               "het opnieuw; blijft het misgaan, vraag de beheerder de instellingen na te kijken.")


def init_app(app) -> None:
    oauth.init_app(app)


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + DISCOVERY


def redirect_uri() -> str:
    """The one address every school's provider sends the browser back to; the admin
    registers it there (a board with one tenant for all its schools registers it once)."""
    return public_address(url_for("sso.callback"))


def client(sign_in: SchoolSignIn):
    """This school's Authlib client, or None when its secret cannot be read (SECRET_KEY
    changed since it was saved)."""
    secret = unseal(sign_in.client_secret)
    if secret is None:
        return None
    name = f"school{sign_in.school_id}_" + keyed_digest(
        "oidc-client", f"{sign_in.issuer}\n{sign_in.client_id}\n{secret}", 16)
    existing = oauth.create_client(name)
    if existing is not None:
        return existing
    return oauth.register(
        name,
        client_id=sign_in.client_id,
        client_secret=secret,
        server_metadata_url=discovery_url(sign_in.issuer),
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256",
                       "default_timeout": TIMEOUT_SECONDS},
    )


def authorize(sign_in: SchoolSignIn, *, again: bool):
    """The redirect to the school's provider; ``again`` asks it to check who it is even
    when it still knows the browser (unlocking a shared tablet). The state names the school
    in this browser's session, so the one return address serves every school."""
    remote = client(sign_in)
    if remote is None:
        raise DomainError(NOT_SET_UP)
    extra = {"prompt": "login"} if again else {}
    try:
        found = remote.create_authorization_url(redirect_uri(), **extra)
    except (requests.RequestException, ValueError, RuntimeError) as error:
        log.warning("inlogdienst van school %s onbereikbaar: %s", sign_in.school_id, error)
        raise DomainError(UNREACHABLE) from error
    # Authlib keeps what the return needs (verifier, nonce) in the session cookie under the
    # state's name; only the last few logins under way are kept, so starting again and
    # again never grows the cookie past what a browser stores.
    remote.save_authorize_data(redirect_uri=redirect_uri(), state=found["state"],
                               code_verifier=found["code_verifier"], nonce=found["nonce"])
    pending = dict(list(session.get(PENDING_KEY, {}).items())[-(MAX_PENDING - 1):])
    pending[found["state"]] = sign_in.school_id
    session[PENDING_KEY] = pending
    for key in [k for k in session if k.startswith("_state_school")]:
        if key.rsplit("_", 1)[-1] not in pending:
            session.pop(key)
    return redirect(found["url"])


def pending_school() -> int | None:
    """The school whose provider this callback comes from: named by the state it carries,
    which this browser started; taken once, so a replayed callback finds nothing."""
    pending = dict(session.get(PENDING_KEY, {}))
    school_id = pending.pop(request.args.get("state", ""), None)
    session[PENDING_KEY] = pending
    return school_id


def verified_claims(sign_in: SchoolSignIn) -> dict:
    """The provider came back: exchange the code and check the ID token. Returns its claims;
    raises DomainError with a message for the person at the screen."""
    remote = client(sign_in)
    if remote is None:
        raise DomainError(NOT_SET_UP)
    try:
        token = remote.authorize_access_token(
            claims_options={"iss": {"essential": True, "values": [sign_in.issuer]},
                            "aud": {"essential": True, "values": [sign_in.client_id]}},
            leeway=current_app.config["OIDC_LEEWAY_SECONDS"],
        )
    except MismatchingStateError as error:
        raise DomainError(EXPIRED) from error
    except OAuthError as error:
        log.info("inloggen via school %s geweigerd: %s", sign_in.school_id, error.error)
        if error.error == "access_denied":
            raise DomainError(CANCELLED) from error
        raise DomainError(EXPIRED if error.error == "invalid_grant" else BAD_TOKEN) from error
    except (JoseError, AuthlibBaseError, KeyError, ValueError) as error:
        log.warning("ID token van school %s geweigerd: %r", sign_in.school_id, error)
        raise DomainError(BAD_TOKEN) from error
    except requests.RequestException as error:
        log.warning("inlogdienst van school %s onbereikbaar: %s", sign_in.school_id, error)
        raise DomainError(UNREACHABLE) from error
    claims = token.get("userinfo")
    if not claims:
        raise DomainError(BAD_TOKEN)
    return dict(claims)


def fetch_discovery(issuer: str) -> object:
    """The provider's discovery document (for the admin's check when saving)."""
    try:
        response = requests.get(discovery_url(issuer), timeout=TIMEOUT_SECONDS,
                                headers={"Accept": "application/json"})
        response.raise_for_status()
        return response.json()
    except requests.RequestException as error:
        raise DomainError(N_("Kon de OpenID-configuratie niet ophalen van %(url)s "
                             "(%(reason)s)."), "issuer", url=discovery_url(issuer),
                          reason=type(error).__name__) from error
    except ValueError as error:
        raise DomainError(N_("Op dit adres staat geen OpenID-configuratie (geen JSON)."),
                          "issuer") from error


# ---- who logs in how ------------------------------------------------------------------


def choices() -> tuple[list[tuple[int, str]], int | None]:
    """The schools that log in with their own accounts (id, name), and the one this device
    used last, for the login page (one statement)."""
    rows = [tuple(row) for row in db.session.execute(
        select(School.id, School.name).join(SchoolSignIn, SchoolSignIn.school_id == School.id)
        .order_by(School.name))]
    last = request.cookies.get(SCHOOL_COOKIE, "")
    remembered = next((sid for sid, _ in rows if last.isdigit() and sid == int(last)), None)
    return rows, remembered


def sso_required(user: User) -> bool:
    """Whether one of the person's schools logs in with its own accounts only."""
    return bool(db.session.scalar(select(exists().where(
        SchoolSignIn.required,
        SchoolSignIn.school_id.in_(select(user_schools.c.school_id)
                                   .where(user_schools.c.user_id == user.id))))))


def password_refused(user: User, required: bool | None = None) -> str | None:
    """Why this person's right password does not log them in, if it does not (``required``:
    ``sso_required(user)`` when the caller has it already)."""
    if required is None:
        required = sso_required(user)
    return password_refusal(user.role == ROLE_ADMIN, required)


def lock_choice(required: bool) -> int | None:
    """The school to unlock through on the idle lock page, if any: the one this login came
    through, else the first of the person's schools that requires its account."""
    school_id = session.get(SSO_KEY)
    if school_id is None and required:
        school_id = db.session.scalar(
            select(SchoolSignIn.school_id).join(
                user_schools, user_schools.c.school_id == SchoolSignIn.school_id)
            .where(user_schools.c.user_id == current_user.id, SchoolSignIn.required)
            .order_by(SchoolSignIn.school_id).limit(1))
    return school_id
