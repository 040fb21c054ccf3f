"""Who this install is: a pole (its code owns the records) or the coordinator of an académie."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from poledesk.data import settings
from poledesk.data.errors import IdentityError as IdentityError
from poledesk.data.models import Pole
from poledesk.data.text import fold

POLE_CODE = re.compile(r"^[A-Z]{2,4}-\d{2}$")
ROLE_POLE = "pole"
ROLE_COORDINATOR = "coordinator"


@dataclass(frozen=True, slots=True)
class Identity:
    role: str
    code: str
    name: str
    academie: str
    demo: bool

    @property
    def title(self) -> str:
        """What the title bar and the status bar say of this install."""
        if self.role == ROLE_COORDINATOR:
            text = f"Coordination académique – académie de {self.academie}"
        else:
            text = f"{self.name} ({self.code}) – académie de {self.academie}"
        return f"{text} – démonstration" if self.demo else text


def current_identity(session: Session) -> Identity | None:
    role = settings.get(session, settings.IDENTITY_ROLE)
    if not role:
        return None
    return Identity(role, settings.get(session, settings.IDENTITY_CODE), settings.get(session, settings.IDENTITY_NAME),
                    settings.get(session, settings.IDENTITY_ACADEMIE), settings.get(session, settings.DEMO) == "1")


def coordinator_code(academie: str) -> str:
    """The owner code of a coordinator's records, e.g. 'COORD-NANCY-METZ'."""
    slug = re.sub(r"[^A-Z0-9]+", "-", fold(academie).upper()).strip("-")
    return f"COORD-{slug}"[:40]


def init_pole(session: Session, code: str, *, name: str, bassin: str, academie: str, animator: str = "",
              demo: bool = False) -> Identity:
    """Set this store up for a pole; refuse if it is set up already. The caller's transaction commits it."""
    code = code.strip().upper()
    problems = []
    if not POLE_CODE.match(code):
        problems.append(f"Code de pôle invalide « {code} » : attendu deux à quatre lettres, un tiret et deux "
                        "chiffres (par exemple NM-07).")
    if not name.strip():
        problems.append("Le nom du pôle est obligatoire.")
    if not academie.strip():
        problems.append("L'académie est obligatoire.")
    if problems:
        raise IdentityError(" ".join(problems))
    _write_identity(session, ROLE_POLE, code, name.strip(), academie.strip(), demo)
    session.add(Pole(code=code, name=name.strip(), bassin=bassin.strip(), academie=academie.strip(),
                     animator_name=animator.strip(), owner=code))
    session.flush()
    return current_identity(session)  # type: ignore[return-value]  # just written above: never None


def init_coordinator(session: Session, academie: str, *, demo: bool = False) -> Identity:
    if not academie.strip():
        raise IdentityError("L'académie est obligatoire.")
    code = coordinator_code(academie)
    _write_identity(session, ROLE_COORDINATOR, code, "Coordination académique des pôles de stages",
                    academie.strip(), demo)
    session.flush()
    return current_identity(session)  # type: ignore[return-value]  # just written above: never None


def _write_identity(session: Session, role: str, code: str, name: str, academie: str, demo: bool) -> None:
    if current_identity(session) is not None:
        raise IdentityError("Ce dossier de données est déjà configuré : rien n'a été modifié.")
    settings.put(session, settings.IDENTITY_ROLE, role)
    settings.put(session, settings.IDENTITY_CODE, code)
    settings.put(session, settings.IDENTITY_NAME, name)
    settings.put(session, settings.IDENTITY_ACADEMIE, academie)
    settings.put(session, settings.DEMO, "1" if demo else "0")
    session.info["owner"] = code


def pole_of(session: Session, code: str) -> Pole | None:
    return session.scalars(select(Pole).where(Pole.code == code, Pole.deleted_at.is_(None))).first()
