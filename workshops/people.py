"""The people of a process: who a join is (a person_key or a badge), merging two entries of
the same human and splitting a wrong merge, consent given by the person, pseudonyms.

A person is pseudonymous: a nickname, a role, a language. The tablet keeps their
``person_key``, made from the app's secret and a nonce kept in the database (a leaked database
hands out no working keys); a printed badge carries a short code for shared tablets and people
without a phone. A key or badge that opens nothing is simply not the person: a join with it
makes a new person, never an error that says whose it was. Flush, never commit.
"""

import hashlib
import hmac
import re
import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ponte.errors import PonteError
from ponte.extensions import db
from workshops.audit import audit
from workshops.models import QUOTE_CONSENTS, Account, Participant, Person, Workshop, utcnow

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a badge read in a dim room is typed right.
BADGE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
BADGE_LENGTH = 8
MAX_KEY_CHARS = 100
# From the most to the least restrictive: merging two entries keeps the stricter choice.
_STRICTNESS = {"never": 0, "internal": 1, "anonymous": 2, "named": 3}


def new_person(
    workshop_id: int, name: str, role: str, language: str, without_device: bool = False
) -> Person:
    """Create the person a first join (or a trainer, for someone without a device) stands for."""
    person = Person(
        workshop_id=workshop_id,
        display_name=name,
        role=role,
        language=language,
        badge_code=_new_badge(),
        key_nonce=secrets.token_hex(16),
        without_device=without_device,
    )
    db.session.add(person)
    db.session.flush()
    return person


def _new_badge() -> str:
    while True:
        code = "".join(secrets.choice(BADGE_ALPHABET) for _ in range(BADGE_LENGTH))
        if db.session.scalar(sa.select(Person.id).where(Person.badge_code == code)) is None:
            return code


def badge_label(code: str) -> str:
    """A badge code as printed: two groups of four, ``KQ7M-3XHT``."""
    return f"{code[:4]}-{code[4:]}"


def normalize_badge(raw: str) -> str:
    """Read a typed badge leniently: case, spaces and dashes do not matter."""
    return re.sub(r"[^0-9A-Za-z]", "", raw).upper()[: BADGE_LENGTH + 4]


def person_key(person: Person) -> str:
    """The key a tablet keeps to be this person again in later sessions of the process."""
    return f"{person.id}.{_signature(person)}"


def _signature(person: Person) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    message = f"ponte-person:{person.id}:{person.workshop_id}:{person.key_nonce}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]


def person_by_key(workshop_id: int, key: object) -> Person | None:
    """The (current) person a tablet's key stands for in this process, or None."""
    if not isinstance(key, str) or len(key) > MAX_KEY_CHARS or not key.isascii():
        return None
    number, _dot, signature = key.partition(".")
    if not number.isdecimal() or len(number) > 18 or not signature:
        return None
    person = db.session.get(Person, int(number))
    if person is None or person.workshop_id != workshop_id:
        return None
    if not hmac.compare_digest(_signature(person), signature):
        return None
    return current(person)


def person_by_badge(workshop_id: int, badge: str) -> Person | None:
    """The (current) person whose badge this is, in this process, or None."""
    code = normalize_badge(badge)
    if len(code) != BADGE_LENGTH:
        return None
    person = db.session.scalar(
        sa.select(Person).where(Person.badge_code == code, Person.workshop_id == workshop_id)
    )
    return current(person) if person is not None else None


def current(person: Person) -> Person | None:
    """The person an entry stands for now (the one it was merged into), None once erased."""
    if person.merged_into_id is not None:
        person = db.session.get(Person, person.merged_into_id)
    return None if person is None or person.erased_at is not None else person


def person_of(workshop: Workshop, person_id: int) -> Person:
    """A person of this process (a merged entry counts as the person it was merged into)."""
    person = db.session.get(Person, person_id)
    if person is None or person.workshop_id != workshop.id:
        raise PonteError("unknown_person", _("No such person in this process."), 404)
    if person.merged_into_id is not None:
        person = db.session.get(Person, person.merged_into_id)
    return person


def joinings(person_id: int) -> list[Participant]:
    """Every joining (a session's roster entry) that counts for this person."""
    return list(
        db.session.scalars(
            sa.select(Participant)
            .where(Participant.person_id == person_id)
            .order_by(Participant.id)
        )
    )


# --- consent ----------------------------------------------------------------------------


def check_consent(quote: object, photos: object) -> tuple[str, bool]:
    if quote not in QUOTE_CONSENTS:
        raise PonteError("invalid_consent", _("Choose named, anonymous, internal or never."))
    if not isinstance(photos, bool):
        raise PonteError("invalid_photos", _("'%(name)s' must be true or false.", name="photos"))
    return quote, photos  # type: ignore[return-value]


def answer_consent(person: Person, quote: object, photos: object) -> Person:
    """The person says, on their tablet, how they may be quoted and whether photos of them
    may be published; they may change it later. Every publication made afterwards follows."""
    if person.erased_at is not None:
        raise PonteError("erased", _("This person has been erased."), 409)
    person.quote_consent, person.photo_consent = check_consent(quote, photos)
    person.consent_asked_at = utcnow()
    db.session.flush()
    return person


# --- merging and splitting --------------------------------------------------------------


def merge_people(account: Account, workshop: Workshop, keep_id: int, other_id: int) -> Person:
    """Make ``other`` the same person as ``keep``: their joinings count once, consent is the
    stricter of the two. Audited; ``split_person`` undoes it."""
    keep, other = person_of(workshop, keep_id), person_of(workshop, other_id)
    if keep.id == other.id:
        raise PonteError("same_person", _("Choose two different people to merge."))
    if keep.erased_at is not None or other.erased_at is not None:
        raise PonteError("erased", _("This person has been erased."), 409)
    db.session.execute(
        sa.update(Participant).where(Participant.person_id == other.id).values(person_id=keep.id)
    )
    # Entries merged into ``other`` earlier now count for ``keep`` too (one step, never a chain).
    db.session.execute(
        sa.update(Person).where(Person.merged_into_id == other.id).values(merged_into_id=keep.id)
    )
    other.merged_into_id = keep.id
    if _STRICTNESS[other.quote_consent] < _STRICTNESS[keep.quote_consent]:
        keep.quote_consent = other.quote_consent
    keep.photo_consent = keep.photo_consent and other.photo_consent
    keep.consent_asked_at = keep.consent_asked_at or other.consent_asked_at
    keep.without_device = keep.without_device and other.without_device
    db.session.flush()
    audit(workshop.id, account, "people_merged", person_id=keep.id, merged=other.id)
    return keep


def split_person(account: Account, workshop: Workshop, entry_id: int) -> Person:
    """Undo a merge: the entry ``entry_id`` is its own person again, with its own joinings."""
    entry = db.session.get(Person, entry_id)
    if entry is None or entry.workshop_id != workshop.id:
        raise PonteError("unknown_person", _("No such person in this process."), 404)
    if entry.merged_into_id is None:
        raise PonteError("not_merged", _("This person was not merged with anyone."), 409)
    merged_into = entry.merged_into_id
    db.session.execute(
        sa.update(Participant)
        .where(Participant.origin_person_id == entry.id, Participant.person_id == merged_into)
        .values(person_id=entry.id)
    )
    entry.merged_into_id = None
    db.session.flush()
    audit(workshop.id, account, "person_split", person_id=entry.id, was_merged_into=merged_into)
    return entry


def merged_entries(workshop_id: int) -> dict[int, list[Person]]:
    """The entries merged into each person of the process, by that person's id."""
    found: dict[int, list[Person]] = {}
    for entry in db.session.scalars(
        sa.select(Person)
        .where(Person.workshop_id == workshop_id, Person.merged_into_id.is_not(None))
        .order_by(Person.id)
    ):
        found.setdefault(entry.merged_into_id, []).append(entry)
    return found


# --- pseudonyms -------------------------------------------------------------------------


def pseudonyms(workshop_id: int) -> dict[int, str]:
    """P1, P2… for the people of a process by order of their first joining; by person id."""
    ids = db.session.scalars(
        sa.select(Person.id)
        .where(Person.workshop_id == workshop_id, Person.merged_into_id.is_(None))
        .order_by(Person.id)
    )
    return {person_id: f"P{number}" for number, person_id in enumerate(ids, start=1)}
