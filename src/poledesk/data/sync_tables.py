"""The store's sync bookkeeping: trusted peers, bundles sent and applied, conflicts; none of it travels."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from poledesk.data.models import Base, utcnow


class Peer(Base):
    """Another install this one exchanges bundles with: its pinned keys and where the exchange stands.

    Sequences count bundles per direction: `last_sequence_received` is the newest bundle applied from the
    peer (what our next bundle acknowledges), `acknowledged_by_peer` the newest of ours the peer says it
    applied (where our next incremental bundle starts), `last_sequence_sent` the newest we wrote for it.
    """

    __tablename__ = "peer"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    academie: Mapped[str] = mapped_column(String(100), default="")
    signing_key: Mapped[str] = mapped_column(String(64))        # Ed25519 public key, base64 of the 32 raw bytes
    age_recipient: Mapped[str] = mapped_column(String(100))     # age1…: the X25519 key bundles are encrypted to
    fingerprint: Mapped[str] = mapped_column(String(64))
    card_created_at: Mapped[datetime | None] = mapped_column(DateTime)
    pinned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_after_sequence: Mapped[int | None] = mapped_column(Integer)
    last_sequence_received: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_by_peer: Mapped[int] = mapped_column(Integer, default=0)
    last_sequence_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_received_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class SentBundle(Base):
    """A bundle written for a peer; `watermark` is the local clock when its records were read."""

    __tablename__ = "sent_bundle"
    __table_args__ = (UniqueConstraint("peer_code", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    peer_code: Mapped[str] = mapped_column(ForeignKey("peer.code"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    bundle_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    watermark: Mapped[str] = mapped_column(String(64))
    records: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AppliedBundle(Base):
    """A bundle applied to this store (the replay guard), with the summary of what it changed (JSON)."""

    __tablename__ = "applied_bundle"
    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender: Mapped[str] = mapped_column(String(40), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    records: Mapped[int] = mapped_column(Integer, default=0)
    in_step: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(300), default="")
    applied_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncConflict(Base):
    """A version that lost the merge to one written by another install: kept for a person to decide."""

    __tablename__ = "sync_conflict"
    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    uid: Mapped[str] = mapped_column(String(36), index=True)
    owner: Mapped[str] = mapped_column(String(40), default="")
    kept_hlc: Mapped[str] = mapped_column(String(64))
    lost_hlc: Mapped[str] = mapped_column(String(64))
    lost_version: Mapped[str] = mapped_column(Text)       # the losing record, in its bundle form (JSON)
    bundle_id: Mapped[str] = mapped_column(String(36), default="")
    sender: Mapped[str] = mapped_column(String(40), default="")
    detected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReceivedStamp(Base):
    """When (local clock) a record that this store forwards to others last arrived: the directory's watermark."""

    __tablename__ = "received_stamp"
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    stamp: Mapped[str] = mapped_column(String(64), index=True)


class ReceivedPupil(Base):
    """What a coordinator knows of a pole's pupil beyond the pseudonymous row: minor or not at the period."""

    __tablename__ = "received_pupil"
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    is_minor: Mapped[bool | None] = mapped_column(Boolean)
