"""The activities of a process that are not live sessions (Activity): trainings, study visits,
partnership meetings, public events; and who took part in each, for how many hours
(ActivityAttendance). No live board: a date, times, a place, people and hours."""

import datetime as dt
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ponte.extensions import db
from workshops.models import utcnow
from workshops.times import hours_between

ACTIVITY_KINDS = ("training", "study_visit", "partnership_meeting", "public_event")


class Activity(db.Model):
    """One activity of a process on one day: a training meeting, a visit, a meeting, an event."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshop.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    title: Mapped[str] = mapped_column(sa.String(200))
    date: Mapped[dt.date]
    # Local time of the process (its time zone); both None: a whole-day activity.
    start_time: Mapped[dt.time | None]
    end_time: Mapped[dt.time | None]
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    # The meetings of one training course share it ("Formazione mediatori"): the Report says
    # "a 12-hour course in 3 meetings".
    course: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def duration(self) -> float | None:
        """Its hours, from its start and end time (None without them)."""
        return hours_between(self.start_time, self.end_time)

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.kind} {self.date}>"


class ActivityAttendance(db.Model):
    """One person of the process, or one trainer or staff account, at one activity."""

    __tablename__ = "activity_attendance"
    __table_args__ = (
        sa.UniqueConstraint("activity_id", "person_id", name="uq_activity_attendance_person"),
        sa.UniqueConstraint("activity_id", "account_id", name="uq_activity_attendance_account"),
        sa.CheckConstraint(
            "(person_id IS NULL) != (account_id IS NULL)", name="ck_activity_attendance_who"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activity.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id"))
    # None: the whole activity; fewer when they came late or left early.
    hours: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def hours_for(self, activity: Activity) -> float:
        """The hours they count for: their own, or the activity's, or 0 when neither is known."""
        if self.hours is not None:
            return self.hours
        return activity.duration or 0.0

    def __repr__(self) -> str:
        who = f"person={self.person_id}" if self.person_id else f"account={self.account_id}"
        return f"<ActivityAttendance {self.id} {who}>"
