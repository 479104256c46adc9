"""the school's own functions (coach, APC, mentor, intern begeleider, ...): a list per school
with defaults per school type, who is informed as functions and the parents, who a plan step
belongs to; the informed rows of 'directie', 'ib' and 'smw' become the functions they named

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# The defaults of that day, written out: a migration imports nothing from the app.
FUNCTIONS = {
    "po": ["Leerkracht", "Directie", "Intern begeleider", "Anti-pestcoördinator",
           "Interne vertrouwenspersoon", "Schoolmaatschappelijk werk"],
    "vo": ["Mentor", "Leerlingcoördinator", "Afdelingsleider", "Ondersteuningscoördinator",
           "Anti-pestcoördinator", "Interne vertrouwenspersoon", "Schoolmaatschappelijk werk",
           "Directie"],
    "mbo": ["Coach", "Anti-pestcoördinator (APC)", "Zorgcoördinator (zoco)",
            "Leerlingcoördinator (leco)", "Teamleider", "Interne vertrouwenspersoon",
            "Schoolmaatschappelijk werk", "Directie"],
}
OLD_CODES = {"directie": "Directie", "ib": "Intern begeleider",
             "smw": "Schoolmaatschappelijk werk"}


def _school_lists(kind: str, codes: str) -> tuple[str, str]:
    """(functions, informed) of a school from its kind and its old comma-separated codes:
    a function the old list named stays on the school's list."""
    functions = list(FUNCTIONS.get(kind, FUNCTIONS["po"]))
    informed = []
    for code in (codes or "").split(","):
        if code in OLD_CODES:
            if OLD_CODES[code] not in functions:
                functions.append(OLD_CODES[code])
            informed.append("f:" + OLD_CODES[code])
    order = ["f:" + name for name in functions] + ["ouders"]
    if "ouders" in (codes or "").split(","):
        informed.append("ouders")
    return "\n".join(functions), "\n".join(key for key in order if key in informed)


def upgrade():
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("functions", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("informed", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    schools = sa.table("schools", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                       sa.column("inform_parties", sa.String), sa.column("functions", sa.Text),
                       sa.column("informed", sa.Text))
    for school_id, kind, codes in bind.execute(
            sa.select(schools.c.id, schools.c.kind, schools.c.inform_parties)).all():
        functions, informed = _school_lists(kind, codes)
        bind.execute(schools.update().where(schools.c.id == school_id)
                     .values(functions=functions, informed=informed))
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("inform_parties")
    with op.batch_alter_table("informed") as batch:
        batch.add_column(sa.Column("party_name", sa.String(200), nullable=False,
                                   server_default=""))
    informed = sa.table("informed", sa.column("party", sa.String),
                        sa.column("party_name", sa.String))
    for code, name in OLD_CODES.items():
        bind.execute(informed.update().where(informed.c.party == code)
                     .values(party="functie", party_name=name))
    with op.batch_alter_table("plan_steps") as batch:
        batch.add_column(sa.Column("owner", sa.String(200), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("plan_steps") as batch:
        batch.drop_column("owner")
    informed = sa.table("informed", sa.column("party", sa.String),
                        sa.column("party_name", sa.String))
    bind = op.get_bind()
    for code, name in OLD_CODES.items():
        bind.execute(informed.update().where(informed.c.party == "functie",
                                             informed.c.party_name == name)
                     .values(party=code))
    # A function without an old code has no word of its own there: 'directie' stands in.
    bind.execute(informed.update().where(informed.c.party == "functie")
                 .values(party="directie"))
    with op.batch_alter_table("informed") as batch:
        batch.drop_column("party_name")
    with op.batch_alter_table("schools") as batch:
        batch.add_column(sa.Column("inform_parties", sa.String(100), nullable=False,
                                   server_default="directie,ib,smw,ouders"))
    schools = sa.table("schools", sa.column("id", sa.Integer), sa.column("informed", sa.Text),
                       sa.column("inform_parties", sa.String))
    back = {"f:" + name: code for code, name in OLD_CODES.items()}
    back["ouders"] = "ouders"
    for school_id, keys in bind.execute(sa.select(schools.c.id, schools.c.informed)).all():
        codes = [back[key] for key in (keys or "").splitlines() if key in back]
        bind.execute(schools.update().where(schools.c.id == school_id)
                     .values(inform_parties=",".join(codes)))
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("informed")
        batch.drop_column("functions")
