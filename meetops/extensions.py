"""Flask extensions, created here and bound to the app in :func:`meetops.create_app`."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, wait for locks instead of failing, let readers and one
    writer work at once (several workers share the file)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def sqlite_begin_before_savepoint(conn, _name) -> None:
    """SQLite: open the real transaction before a SAVEPOINT.

    pysqlite begins a transaction only before INSERT/UPDATE/DELETE, so a ``begin_nested()``
    issued first made the SAVEPOINT itself the transaction, and its RELEASE committed at once:
    the rest of the request's unit of work (the confirmation mail after a registration, say)
    then ran in a second transaction, and a failure there could no longer undo the first part.
    """
    dbapi_connection = conn.connection.dbapi_connection
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")
