"""A deterministic, realistic stage database at any scale, through the real schema.

Everything random comes from one `random.Random(seed)` and one seeded Faker, and every date is
relative to `today`, so the same seed and day give the same database. Rows get explicit ids and
go in with bulk inserts per table, in foreign-key order, a chunk of stages at a time.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

import bcrypt
from faker import Faker
from sqlalchemy import Engine, insert, text
from tqdm import tqdm

from data_access import clock
from data_access import models as m
from data_access.accounts import DEMO_PASSWORD, DEMO_USERNAMES
from data_access.db import reset_id_sequences
from data_access.models import (
    Base,
    CanMedsRole,
    Decision,
    FeedbackKind,
    GesprekStatus,
    GesprekType,
    KpbInitiator,
    LeerdoelStatus,
    Moment,
    OpdrachtStatus,
    OpSchema,
    RaterKind,
    Role,
    StageplaatsStatus,
    StageStatus,
)
from data_access.settings import load_settings
from sample_data import vocab
from sample_data.feedback_requests import add_feedback_requests
from sample_data.follow_up import add_follow_up
from sample_data.meetings import add_demo_meetings
from sample_data.stageplan import add_stageplan_states
from sample_data.templates import add_stageplan_templates
from sample_data.verslagen import Verslagen


@dataclass(frozen=True)
class Scale:
    opleidingen: int
    cohorts: int
    aios_per_cohort: int  # per opleiding
    stageplaatsen: int  # per opleiding
    stages_per_aios: int = 6


SCALES = {
    "demo": Scale(opleidingen=1, cohorts=4, aios_per_cohort=15, stageplaatsen=25),
    "programme": Scale(opleidingen=1, cohorts=6, aios_per_cohort=50, stageplaatsen=120),
    "national": Scale(opleidingen=4, cohorts=12, aios_per_cohort=104, stageplaatsen=250),
}

FLUSH_EVERY_STAGES = 500


@dataclass
class _Site:
    id: int
    opleiding_idx: int
    quality: float  # latent quality, around 0
    decline_from: int | None  # calendar year from which it declines, for a few sites
    begeleider_ids: list[int] = field(default_factory=list)


class _Buffer:
    """Rows per table, flushed in foreign-key order so explicit ids always have their parents."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.next_id: dict[str, int] = defaultdict(lambda: 1)

    def add(self, table: str, row: dict, with_id: bool = True) -> int | None:
        if with_id:
            row["id"] = self.next_id[table]
            self.next_id[table] += 1
        self.rows[table].append(row)
        return row.get("id")

    def flush(self) -> None:
        with self.engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                rows = self.rows.pop(table.name, None)
                if rows:
                    conn.execute(insert(table), rows)
                    self.counts[table.name] += len(rows)


class Generator:
    def __init__(self, engine: Engine, scale: Scale, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        self.fake = Faker(["nl_NL", "nl_BE"])
        self.fake.seed_instance(seed)
        self.scale = scale
        self.today = today
        # The newest cohort is the one that started on the last 1 September, so that the demo
        # keeps its history over New Year (a cohort that had not started yet used to push the
        # oldest one, with most of the ratings, out on 1 January).
        self.last_cohort = today.year if today.month >= 9 else today.year - 1
        self.first_cohort = self.last_cohort - scale.cohorts + 1
        self.buf = _Buffer(engine)
        self.engine = engine
        self.begeleider_user: dict[int, int] = {}  # stagebegeleider id -> user id
        self.commissie_user: dict[int, int] = {}  # opleiding id -> first commissie member
        self.leniency: dict[int, float] = {}  # begeleider user id -> how mild they score
        self.status_updates: list[int] = []  # stageplaatsen put in remediëring
        self.verslagen = Verslagen(self.buf, seed, today)

    # --- helpers ------------------------------------------------------------------------------

    def _user(self, username: str, name: str, role: Role) -> int:
        uid = self.buf.add(
            "user_account",
            {
                "username": username,
                "display_name": name,
                "email": f"{username}@voorbeeld.nl",
                "password_hash": None,
                "active": True,
                "must_change_password": False,
                "failed_attempts": 0,
                "created_at": dt.datetime(self.first_cohort - 1, 1, 1),
            },
        )
        self.buf.add("user_role", {"user_id": uid, "role": role.value}, with_id=False)
        return uid

    def _name(self) -> str:
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    def _days(self, lo: int, hi: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(lo, hi))

    def _text(self, pool: list[str], k: int) -> str:
        return " ".join(self.rng.sample(pool, k))

    # --- the whole build ----------------------------------------------------------------------

    def build(self, progress: bool = True) -> dict[str, int]:
        sc = self.scale
        self.admin_id = self._user("beheerder", "Beheerder Demo", Role.BEHEERDER)
        self.opleidingen = []
        cohorts: list[tuple[int, int, int]] = []  # (cohort id, opleiding idx, year)
        for idx in range(sc.opleidingen):
            code, name, _disc, uses_instr = vocab.OPLEIDINGEN[idx]
            oid = self.buf.add(
                "opleiding",
                {"code": code, "name": name, "kpb_target_default": 6,
                 "uses_rating_instrument": uses_instr},
            )
            self.opleidingen.append(oid)
            for year in range(self.first_cohort, self.last_cohort + 1):
                cid = self.buf.add(
                    "cohort", {"opleiding_id": oid, "start_year": year, "name": f"{code} {year}"}
                )
                cohorts.append((cid, idx, year))
        self._catalogues(self.first_cohort)
        sites = self._stageplaatsen()
        self._opleiders_and_commissie(cohorts)
        self.buf.flush()

        aios = self._aios(cohorts)
        plan = self._plan_stages(aios, sites)
        iterator = tqdm(plan, desc="stages", unit="stage", disable=not progress)
        for n, stage in enumerate(iterator, 1):
            self._stage(*stage)
            if n % FLUSH_EVERY_STAGES == 0:
                self.buf.flush()
        self._committee_decisions(sites)
        self.buf.flush()
        add_stageplan_templates(self.engine, self.opleidingen, self.epas, self.admin_id, self.today, self.first_cohort)
        threshold = load_settings().anonymity_threshold
        self._demo_logins(threshold)
        self._release_ratings(threshold)
        add_feedback_requests(self.engine, self.rng.randrange(2**32), self.today)
        self.buf.counts.update(add_follow_up(self.engine, self.today))
        reset_id_sequences(self.engine)
        self.buf.counts.update(add_stageplan_states(self.engine, self.today))
        self.buf.counts["meeting"] += add_demo_meetings(self.engine, DEMO_USERNAMES[Role.STAGECOMMISSIE],
                                                        self.opleidingen[0], self.today)
        reset_id_sequences(self.engine)  # the rows the commands above wrote
        return dict(self.buf.counts)

    def _catalogues(self, first_year: int) -> None:
        self.epas: dict[int, list[int]] = {}
        self.rubrics: dict[int, list[tuple[int, int, list[int]]]] = {}
        # Version 2 of each rubric replaced version 1 halfway through the years generated.
        switch_year = first_year + max(1, self.scale.cohorts // 2)
        for idx, oid in enumerate(self.opleidingen):
            self.epas[oid] = [
                self.buf.add("epa", {"opleiding_id": oid, "code": code, "name": name})
                for code, name in vocab.EPAS
            ]
            versions = []
            for version, valid_from in ((1, dt.date(first_year - 1, 9, 1)), (2, dt.date(switch_year, 9, 1))):
                rid = self.buf.add(
                    "rubric",
                    {"opleiding_id": oid, "name": f"Beoordelingsformulier stage {vocab.OPLEIDINGEN[idx][0]}",
                     "version": version, "valid_from": valid_from},
                )
                for score, label in vocab.LEVELS:
                    self.buf.add("rubric_level", {"rubric_id": rid, "score": score, "label": label}, with_id=False)
                # Version 2 dropped one criterion and reworded another: versions must not mix.
                criteria = vocab.CRITERIA if version == 1 else vocab.CRITERIA[:-1]
                crit_ids = []
                for pos, (cname, role) in enumerate(criteria, 1):
                    if version == 2 and pos == 2:
                        cname = "Klinisch redeneren en differentiëren"
                    cid = self.buf.add(
                        "rubric_criterion",
                        {"rubric_id": rid, "position": pos, "name": cname, "canmeds_role": role.value},
                    )
                    crit_ids.append(cid)
                    for score, pattern in vocab.LEVEL_PATTERNS.items():
                        self.buf.add(
                            "rubric_level_description",
                            {"criterion_id": cid, "score": score, "description": pattern.format(c=cname.lower())},
                            with_id=False,
                        )
                versions.append((rid, valid_from.year, crit_ids))
            self.rubrics[oid] = versions
        self.instrument_items = []
        number = 0
        for subscale, items in vocab.INSTRUMENT_ITEMS.items():
            for item in items:
                number += 1
                self.instrument_items.append(
                    self.buf.add(
                        "instrument_item",
                        {"instrument": vocab.INSTRUMENT, "number": number, "subscale": subscale, "text": item},
                    )
                )

    def _stageplaatsen(self) -> list[_Site]:
        sites = []
        bg_number = 0
        for idx, oid in enumerate(self.opleidingen):
            code, _name, disciplines, _ = vocab.OPLEIDINGEN[idx]
            for n in range(self.scale.stageplaatsen):
                discipline = self.rng.choice(disciplines)
                city = self.fake["nl_NL"].city()
                quality = self.rng.gauss(0, 1)
                declining = self.rng.random() < 0.06
                sid = self.buf.add(
                    "stageplaats",
                    {
                        "code": f"{code}-{n + 1:04d}",
                        "opleiding_id": oid,
                        "name": f"{discipline} {self.rng.choice(vocab.SITE_NAME_PARTS)} {city}",
                        "organisation": f"{discipline} {city}",
                        "discipline": discipline,
                        "region": self.rng.choice(vocab.REGIONS),
                        "status": StageplaatsStatus.ACTIEF.value,
                    },
                )
                site = _Site(sid, idx, quality,
                             self.rng.randint(self.first_cohort + 2, self.today.year - 1) if declining else None)
                for _ in range(1 if self.rng.random() < 0.55 else 2):
                    bg_number += 1
                    uid = self._user(f"begeleider{bg_number:04d}", self._name(), Role.STAGEBEGELEIDER)
                    bid = self.buf.add("stagebegeleider", {"user_id": uid, "function": discipline})
                    self.buf.add("begeleider_stageplaats", {"begeleider_id": bid, "stageplaats_id": sid}, with_id=False)
                    site.begeleider_ids.append(bid)
                    self.begeleider_user[bid] = uid
                sites.append(site)
        return sites

    def _opleiders_and_commissie(self, cohorts: list[tuple[int, int, int]]) -> None:
        self.opleider_users = []
        for idx, oid in enumerate(self.opleidingen):
            code = vocab.OPLEIDINGEN[idx][0]
            own = [c for c in cohorts if c[1] == idx]
            # Two opleiders share the cohorts of a programme, alternating years.
            for k in range(2):
                uid = self._user(f"opleider{code.lower()}{k + 1}", self._name(), Role.INSTITUUTSOPLEIDER)
                op_id = self.buf.add("instituutsopleider", {"user_id": uid})
                for cid, _i, year in own:
                    if year % 2 == k:
                        self.buf.add("opleider_cohort", {"opleider_id": op_id, "cohort_id": cid}, with_id=False)
            for k in range(3):
                uid = self._user(f"commissie{code.lower()}{k + 1}", self._name(), Role.STAGECOMMISSIE)
                self.buf.add("commissie_lid", {"user_id": uid, "opleiding_id": oid}, with_id=False)
                self.commissie_user.setdefault(oid, uid)

    def _aios(self, cohorts: list[tuple[int, int, int]]) -> list[dict]:
        aios = []
        number = 0
        for cid, idx, year in cohorts:
            for _ in range(self.scale.aios_per_cohort):
                number += 1
                uid = self._user(f"aios{number:05d}", self._name(), Role.AIOS)
                aid = self.buf.add(
                    "aios",
                    {"user_id": uid, "aios_number": f"A{year}{number:05d}",
                     "opleiding_id": self.opleidingen[idx], "cohort_id": cid},
                )
                aios.append({
                    "id": aid, "user_id": uid, "opleiding_idx": idx, "year": year,
                    # Ability and diligence drive scores, pace and how often they ask feedback.
                    "ability": self.rng.gauss(0, 0.5),
                    "diligence": min(1.0, max(0.3, self.rng.gauss(0.85, 0.15))),
                })
        self.buf.flush()
        return aios

    def _plan_stages(self, aios: list[dict], sites: list[_Site]) -> list[tuple]:
        by_opleiding = defaultdict(list)
        for s in sites:
            by_opleiding[s.opleiding_idx].append(s)
        horizon = self.today + dt.timedelta(days=45)
        plan = []
        for a in aios:
            # Aios of a cohort start over the half year from 1 September, so that on any day of
            # the year about half of them are in a stage (all starting in September left most of
            # them between stages in January and July).
            start = dt.date(a["year"], 9, 1) + self._days(0, 181)
            for k in range(self.scale.stages_per_aios):
                if start > horizon:
                    break
                fte = self.rng.choice([1.0, 1.0, 1.0, 1.0, 0.8, 0.6])
                weeks = math.ceil(13 / fte)
                end = start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
                site = self.rng.choice(by_opleiding[a["opleiding_idx"]])
                plan.append((a, site, start, end, fte, k))
                start = start + dt.timedelta(weeks=26) + self._days(-7, 7)
        return plan

    # --- one stage and everything in it -------------------------------------------------------

    def _site_quality(self, site: _Site, year: int) -> float:
        q = site.quality
        if site.decline_from is not None and year >= site.decline_from:
            q -= 0.7 * (year - site.decline_from + 1)
        return q

    def _stage(self, a: dict, site: _Site, start: dt.date, end: dt.date, fte: float, k: int) -> None:
        rng, today = self.rng, self.today
        broken = rng.random() < 0.02 and start < today
        status = (
            StageStatus.GEPLAND if start > today
            else StageStatus.AFGEBROKEN if broken
            else StageStatus.AFGEROND if end < today
            else StageStatus.LOPEND
        )
        stage_id = self.buf.add(
            "stage",
            {"aios_id": a["id"], "stageplaats_id": site.id, "start_date": start, "end_date": end,
             "fte": fte, "status": status.value},
        )
        begeleiders = site.begeleider_ids[:1] if rng.random() < 0.8 else site.begeleider_ids
        for i, bid in enumerate(begeleiders):
            self.buf.add("stage_begeleider", {"stage_id": stage_id, "begeleider_id": bid, "is_primary": i == 0}, with_id=False)
        bg_user = self.begeleider_user[begeleiders[0]]
        aios_user = a["user_id"]
        oid = self.opleidingen[a["opleiding_idx"]]
        # Activity runs until today, or until the stage was broken off halfway.
        last_day = min(today, end)
        if broken:
            last_day = min(last_day, start + (end - start) / 2)
        quality = self._site_quality(site, start.year)
        diligence = a["diligence"]
        length = (end - start).days + 1
        weeks_total = math.ceil(length / 7)

        kpb_target = rng.choice([4, 5, 6, 6, 8])
        approved = None
        if rng.random() < 0.9:
            approved = start - self._days(0, 6)
        elif rng.random() < 0.6:
            approved = start + self._days(8, 20)
        if approved is not None and approved > today:
            approved = None
        verslag_due = end - dt.timedelta(days=7)
        handed_in = None
        if not broken and verslag_due <= today:
            handed_in = verslag_due + (self._days(-6, 2) if rng.random() < 0.9 else self._days(3, 15))
            if handed_in > today:
                handed_in = None
        self.buf.add(
            "stageplan",
            {"stage_id": stage_id, "kpb_target": kpb_target, "approved_at": approved,
             "approved_by": bg_user if approved else None, "verslag_due": verslag_due,
             "verslag_handed_in": handed_in},
        )
        self.verslagen.add(stage_id, start, end, verslag_due, handed_in, aios_user, bg_user)
        progress = max(0.0, min(1.0, (last_day - start).days / length)) if start <= today else 0.0
        self._leerdoelen(stage_id, start, end, progress, aios_user, diligence)
        epas = rng.sample(self.epas[oid], 3)
        for epa in epas[:2]:
            self.buf.add("epa_target", {"stage_id": stage_id, "epa_id": epa, "target_level": min(5, 2 + k // 2 + rng.randint(0, 1))}, with_id=False)
        for title in rng.sample(vocab.PRAKTIJKOPDRACHTEN, rng.randint(1, 2)):
            done = progress >= 1.0 or rng.random() < progress * 0.6
            self.buf.add(
                "praktijkopdracht",
                {"stage_id": stage_id, "title": title, "due_date": end - self._days(7, 21),
                 "status": (OpdrachtStatus.AFGEROND if done else OpdrachtStatus.BEZIG if progress > 0.2 else OpdrachtStatus.GEPLAND).value},
            )
        if start > today:
            return
        gesprek_dates = self._gesprekken(stage_id, start, end, last_day, weeks_total, quality, diligence, a, bg_user, broken)
        kpb_dates = self._kpbs(stage_id, start, last_day, length, kpb_target, diligence, epas, bg_user, aios_user, k, a)
        self._feedback(stage_id, start, last_day, quality, diligence, gesprek_dates, kpb_dates, bg_user, aios_user)
        self._beoordelingen(stage_id, oid, start, end, last_day, broken, a, k, bg_user, aios_user, begeleiders)
        if status is StageStatus.AFGEROND:
            self._rating(stage_id, end, quality, a["opleiding_idx"])

    def _leerdoelen(self, stage_id, start, end, progress, aios_user, diligence) -> None:
        rng = self.rng
        for _ in range(rng.randint(3, 5)):
            txt = rng.choice(vocab.LEERDOEL_TEMPLATES).format(x=rng.choice(vocab.LEERDOEL_OBJECTS))
            role = rng.choice(list(CanMedsRole))
            history = [(start - self._days(3, 10), LeerdoelStatus.GEPLAND, txt)]
            if progress > 0.1:
                history.append((start + self._days(5, 20), LeerdoelStatus.BEZIG, txt))
            if progress > 0.4 and rng.random() < 0.12:
                history.append((start + self._days(21, 40), LeerdoelStatus.BIJGESTELD, txt + " (bijgesteld: kleiner en concreter)"))
            if rng.random() < progress * diligence * 0.95:
                history.append((start + dt.timedelta(days=int((end - start).days * progress * rng.uniform(0.5, 1.0))), LeerdoelStatus.BEHAALD, history[-1][2]))
            history = [h for h in history if h[0] <= self.today] or history[:1]
            lid = self.buf.add(
                "leerdoel",
                {"stage_id": stage_id, "text": history[-1][2], "canmeds_role": role.value,
                 "target_date": end - self._days(0, 20), "status": history[-1][1].value},
            )
            for when, status, t in sorted(history, key=lambda h: h[0]):
                self.buf.add(
                    "leerdoel_history",
                    {"leerdoel_id": lid, "changed_at": dt.datetime.combine(when, dt.time(9)),
                     "changed_by": aios_user, "status": status.value, "text": t},
                )

    def _gesprek(self, stage_id, gtype, when, a_user, b_user, extra=None) -> None:
        rng = self.rng
        recent = (self.today - when).days < 10
        concept = recent and rng.random() < 0.5
        by_aios = rng.random() < 0.8
        row = {
            "stage_id": stage_id, "type": gtype.value, "date": when,
            "author_id": a_user if by_aios else b_user,
            "verslag": self._text(vocab.VERSLAG_SENTENCES, rng.randint(2, 4)),
            "afspraken": rng.choice(vocab.AFSPRAKEN), "op_schema": None,
            "wat_gaat_goed": None, "wat_kan_beter": None,
            "status": (GesprekStatus.CONCEPT if concept else GesprekStatus.VASTGESTELD).value,
            "confirmed_by": None if concept else b_user,
            "confirmed_at": None if concept else dt.datetime.combine(min(self.today, when + self._days(0, 6)), dt.time(17)),
            "version": 1, "supersedes_id": None, "submit_token": None,
            "created_at": dt.datetime.combine(when, dt.time(16)),
        }
        row.update(extra or {})
        self.buf.add("gesprek", row)

    def _gesprekken(self, stage_id, start, end, last_day, weeks_total, quality, diligence, a, b_user, broken) -> list[dt.date]:
        rng, today = self.rng, self.today
        a_user = a["user_id"]
        dates = []

        def log(gtype, when, extra=None):
            if when <= today and when <= last_day + dt.timedelta(days=3):
                self._gesprek(stage_id, gtype, when, a_user, b_user, extra)
                dates.append(when)

        if rng.random() < 0.85:
            log(GesprekType.KENNISMAKING, start - self._days(3, 20))
        if rng.random() < 0.95:
            log(GesprekType.STARTGESPREK, start + (self._days(0, 6) if rng.random() < 0.9 else self._days(7, 20)))
        p_weekly = max(0.35, min(0.97, 0.78 + 0.08 * quality + 0.15 * (diligence - 0.85)))
        for week in range(2, weeks_total):
            if rng.random() < p_weekly:
                log(GesprekType.BEGELEIDINGSGESPREK, start + dt.timedelta(days=7 * (week - 1)) + self._days(0, 4))
        midpoint = start + (end - start) / 2
        if rng.random() < 0.9:
            when = midpoint + (self._days(-5, 5) if rng.random() < 0.88 else self._days(8, 20))
            level = a["ability"] + 0.3 * (diligence - 0.85) + rng.gauss(0, 0.4)
            op_schema = OpSchema.JA if level > -0.1 else OpSchema.DEELS if level > -0.6 else OpSchema.NEE
            log(GesprekType.EVALUATIEGESPREK, when, {
                "op_schema": op_schema.value,
                "wat_gaat_goed": rng.choice(vocab.GAAT_GOED), "wat_kan_beter": rng.choice(vocab.KAN_BETER)})
        if not broken and end <= today and rng.random() < 0.97:
            log(GesprekType.EINDGESPREK, end - self._days(0, 5), {
                "wat_gaat_goed": rng.choice(vocab.GAAT_GOED), "wat_kan_beter": rng.choice(vocab.KAN_BETER)})
        return dates

    def _kpbs(self, stage_id, start, last_day, length, target, diligence, epas, b_user, a_user, k, a) -> list[tuple[dt.date, bool, int]]:
        rng = self.rng
        span = (last_day - start).days
        if span <= 0:
            return []
        expected = target * span / length * diligence * rng.uniform(0.6, 1.25)
        out = []
        for _ in range(int(round(expected))):
            when = start + dt.timedelta(days=rng.randint(3, span))
            by_aios = rng.random() < 0.6
            level = int(round(1.5 + 0.6 * k + a["ability"] + rng.gauss(0, 0.5)))
            self.buf.add(
                "kpb",
                {"stage_id": stage_id, "epa_id": rng.choice(epas), "date": when, "observer_id": b_user,
                 "initiated_by": (KpbInitiator.AIOS if by_aios else KpbInitiator.BEGELEIDER).value,
                 "supervision_level": max(1, min(5, level)), "feedback": rng.choice(vocab.KPB_FEEDBACK)},
            )
            out.append((when, by_aios, b_user))
        return out

    def _feedback(self, stage_id, start, last_day, quality, diligence, gesprek_dates, kpb_dates, b_user, a_user) -> None:
        rng = self.rng
        topic = vocab.FEEDBACK_TOPICS

        def moment(when, kind, asked, giver):
            self.buf.add(
                "feedback_moment",
                {"stage_id": stage_id, "date": when, "giver_id": giver, "kind": kind.value,
                 "asked_by_aios": asked, "topic": rng.choice(topic)},
            )

        for when, by_aios, giver in kpb_dates:
            moment(when, FeedbackKind.KPB, by_aios, giver)
        for when in gesprek_dates:
            # A kennismaking before the start is no feedback moment of the stage itself.
            if start <= when <= last_day and rng.random() < 0.45:
                moment(when, FeedbackKind.GESPREK, rng.random() < 0.4 * diligence, b_user)
        span = (last_day - start).days
        rate = max(0.1, 0.9 + 0.35 * quality)  # informal moments per week
        for _ in range(int(round(span / 7 * rate * rng.uniform(0.6, 1.3)))):
            moment(start + dt.timedelta(days=rng.randint(0, max(0, span))), FeedbackKind.INFORMEEL,
                   rng.random() < 0.5 * diligence, b_user)

    def _beoordelingen(self, stage_id, oid, start, end, last_day, broken, a, k, b_user, a_user, begeleiders) -> None:
        rng = self.rng
        rid, crit_ids = next((r, c) for r, y, c in reversed(self.rubrics[oid]) if start >= dt.date(y, 9, 1))
        leniency = self.leniency.setdefault(b_user, rng.gauss(0, 0.35))
        midpoint = start + (end - start) / 2
        moments = []
        if midpoint <= last_day:
            moments.append((Moment.TUSSENTIJDS, midpoint + self._days(0, 5), 0.0))
        if not broken and end <= self.today:
            moments.append((Moment.EIND, end - self._days(0, 5), 0.35))
        for moment, when, growth in moments:
            raters = [(RaterKind.BEGELEIDER, b_user, leniency), (RaterKind.ZELF, a_user, 0.15)]
            if moment is Moment.EIND and rng.random() < 0.25 and len(begeleiders) > 1:
                raters.append((RaterKind.PEER, self.begeleider_user[begeleiders[1]], 0.0))
            for kind, rater, bias in raters:
                bid = self.buf.add(
                    "beoordeling",
                    {"stage_id": stage_id, "rubric_id": rid, "moment": moment.value, "rater_kind": kind.value,
                     "rater_id": rater, "date": when, "comment": rng.choice(vocab.KPB_FEEDBACK) if rng.random() < 0.5 else None},
                )
                base = 2.3 + 0.15 * k + a["ability"] + growth + bias
                for cid in crit_ids:
                    score = int(round(base + rng.gauss(0, 0.55)))
                    self.buf.add("rubric_score", {"beoordeling_id": bid, "criterion_id": cid, "score": max(1, min(4, score))}, with_id=False)

    def _rating(self, stage_id, end, quality, opleiding_idx) -> None:
        rng = self.rng
        if rng.random() > 0.8:
            return
        submitted = end + self._days(1, 30)
        if submitted > self.today:
            return

        def dim(offset):
            return max(1, min(5, int(round(3.7 + 0.6 * quality + offset + rng.gauss(0, 0.7)))))

        values = {"leermogelijkheden": dim(0.1), "leerklimaat": dim(0.0), "begeleiding": dim(-0.1)}
        mean = sum(values.values()) / 3
        valence = "positief" if mean >= 3.7 else "neutraal" if mean >= 2.7 else "negatief"
        comment = rng.choice(vocab.RATING_COMMENTS[valence]) if rng.random() < 0.4 else None
        rating_id = self.buf.add("stageplaats_rating", {"stage_id": stage_id, **values, "comment": comment, "submitted_at": submitted})
        if vocab.OPLEIDINGEN[opleiding_idx][3]:
            for item in self.instrument_items:
                self.buf.add("rating_item_score", {"rating_id": rating_id, "item_id": item,
                                                   "score": max(1, min(5, int(round(mean + rng.gauss(0, 0.6)))))}, with_id=False)

    def _release_ratings(self, threshold: int) -> None:
        """Release the ratings in batches as the app does when they come in (releases.py)."""
        with self.engine.begin() as conn:
            rows = conn.execute(text(
                "SELECT r.id, s.stageplaats_id, r.submitted_at FROM stageplaats_rating r "
                "JOIN stage s ON s.id = r.stage_id ORDER BY s.stageplaats_id, r.submitted_at, r.id")).all()
            batches = _release_batches(rows, max(threshold, 1))
            if not batches:
                return
            conn.execute(insert(m.RatingRelease), [
                {"id": n, "stageplaats_id": site, "size": len(ids), "threshold": threshold,
                 "released_at": dt.datetime.combine(_as_date(when), dt.time(12))}
                for n, (site, when, ids) in enumerate(batches, 1)])
            conn.execute(text("UPDATE stageplaats_rating SET release_id = :r WHERE id = :i"),
                         [{"r": n, "i": i} for n, (_, _, ids) in enumerate(batches, 1) for i in ids])
        self.buf.counts["rating_release"] += len(batches)

    def _committee_decisions(self, sites: list[_Site]) -> None:
        rng = self.rng
        for site in sites:
            q = self._site_quality(site, self.today.year)
            if q > -1.2 and rng.random() > 0.03:
                continue
            oid = self.opleidingen[site.opleiding_idx]
            decision = Decision.REMEDIERINGSPLAN if q < -1.6 else Decision.GESPREK
            when = self.today - self._days(20, 200)
            self.buf.add(
                "committee_decision",
                {"stageplaats_id": site.id, "date": when, "decision": decision.value,
                 "rationale": "Scores op begeleiding en leerklimaat blijven achter bij andere stageplaatsen.",
                 "follow_up_date": when + self._days(60, 120), "decided_by": self.commissie_user[oid]},
            )
            if decision is Decision.REMEDIERINGSPLAN:
                self.status_updates.append(site.id)

    # --- demo logins and finishing ------------------------------------------------------------

    def _demo_logins(self, threshold: int) -> None:
        """One login per role, tied to real records of the first programme, password 'demo'."""
        with self.engine.begin() as conn:
            if self.status_updates:
                conn.execute(
                    m.Stageplaats.__table__.update()
                    .where(m.Stageplaats.id.in_(self.status_updates))
                    .values(status=StageplaatsStatus.IN_REMEDIERING.value)
                )
            # A begeleider with running stages now; the aios with a running stage with that
            # begeleider (so the demo shows the draft → confirm workflow between the two logins)
            # and the most stages behind them. So that the demo shows every flow on any day, the
            # begeleider is picked, in this order of preference: with such an aios who has an
            # ended stage, which they have not rated yet (see below); with more than one aios (a
            # choice in the forms); at a stageplaats with enough ratings for its charts (twice
            # the threshold: the release leaves fewer than the threshold pending); with the most
            # running stages.
            begeleider_user = conn.execute(text(
                "SELECT sb.user_id FROM stage_begeleider x JOIN stagebegeleider sb ON sb.id = x.begeleider_id "
                "JOIN stage s ON s.id = x.stage_id JOIN aios a ON a.id = s.aios_id "
                "WHERE s.start_date <= :t AND s.end_date >= :t AND a.opleiding_id = :o "
                "GROUP BY sb.user_id, sb.id ORDER BY MAX(CASE WHEN s.status = 'lopend' AND EXISTS (SELECT 1 FROM stage e "
                "WHERE e.aios_id = a.id AND e.end_date < :t) THEN 1 ELSE 0 END) DESC, "
                "CASE WHEN COUNT(*) > 1 THEN 1 ELSE 0 END DESC, "
                "CASE WHEN (SELECT COUNT(*) FROM stageplaats_rating r JOIN stage rs ON rs.id = r.stage_id "
                "JOIN begeleider_stageplaats bs ON bs.stageplaats_id = rs.stageplaats_id "
                "WHERE bs.begeleider_id = sb.id) >= 2 * :threshold THEN 1 ELSE 0 END DESC, "
                "COUNT(*) DESC, sb.user_id LIMIT 1"),
                {"t": self.today, "o": self.opleidingen[0], "threshold": threshold}).scalar_one()
            aios_user = conn.execute(text(
                "SELECT a.user_id FROM aios a JOIN stage s ON s.aios_id = a.id "
                "WHERE a.opleiding_id = :o AND a.id IN (SELECT r.aios_id FROM stage r "
                "JOIN stage_begeleider x ON x.stage_id = r.id JOIN stagebegeleider sb ON sb.id = x.begeleider_id "
                "WHERE r.start_date <= :t AND r.end_date >= :t AND r.status = 'lopend' AND sb.user_id = :b) "
                "GROUP BY a.user_id ORDER BY MIN(s.end_date) < :t DESC, COUNT(*) DESC, a.user_id LIMIT 1"),
                {"t": self.today, "o": self.opleidingen[0], "b": begeleider_user}).scalar_one()
            self._leave_last_stage_unrated(conn, aios_user)
            code = vocab.OPLEIDINGEN[0][0].lower()
            picks = {
                Role.BEHEERDER: self.admin_id,
                Role.INSTITUUTSOPLEIDER: conn.execute(text("SELECT id FROM user_account WHERE username = :u"), {"u": f"opleider{code}1"}).scalar_one(),
                Role.STAGECOMMISSIE: conn.execute(text("SELECT id FROM user_account WHERE username = :u"), {"u": f"commissie{code}1"}).scalar_one(),
                Role.STAGEBEGELEIDER: begeleider_user,
                Role.AIOS: aios_user,
            }
            # The demo opleider follows every cohort of the programme, not only alternate years.
            conn.execute(text(
                "INSERT INTO opleider_cohort (opleider_id, cohort_id) SELECT io.id, c.id FROM instituutsopleider io "
                "JOIN cohort c ON c.opleiding_id = :o WHERE io.user_id = :u AND NOT EXISTS "
                "(SELECT 1 FROM opleider_cohort oc WHERE oc.opleider_id = io.id AND oc.cohort_id = c.id)"),
                {"o": self.opleidingen[0], "u": picks[Role.INSTITUUTSOPLEIDER]})
            # One hash for all demo logins: the app checks it once at start (is_demo_database).
            hashed = bcrypt.hashpw(DEMO_PASSWORD.encode(), bcrypt.gensalt()).decode()
            for role, uid in picks.items():
                conn.execute(
                    text("UPDATE user_account SET username = :u, password_hash = :h, email = :e WHERE id = :id"),
                    {"u": DEMO_USERNAMES[role], "h": hashed, "e": f"{DEMO_USERNAMES[role]}@voorbeeld.nl", "id": uid},
                )

    def _leave_last_stage_unrated(self, conn, aios_user: int) -> None:
        """The demo aios has not rated their most recently ended stage yet, so the demo shows
        "Stageplaats beoordelen" on any day (before the ratings are released)."""
        stage_id = conn.execute(text(
            "SELECT s.id FROM stage s JOIN aios a ON a.id = s.aios_id WHERE a.user_id = :u AND s.end_date < :t "
            "ORDER BY s.end_date DESC, s.id DESC LIMIT 1"), {"u": aios_user, "t": self.today}).scalar()
        stage = {"s": stage_id}  # None (no ended stage yet): nothing is deleted
        self.buf.counts["rating_item_score"] -= conn.execute(text(
            "DELETE FROM rating_item_score WHERE rating_id IN (SELECT id FROM stageplaats_rating WHERE stage_id = :s)"),
            stage).rowcount
        self.buf.counts["stageplaats_rating"] -= conn.execute(
            text("DELETE FROM stageplaats_rating WHERE stage_id = :s"), stage).rowcount


def _release_batches(rows, threshold: int) -> list[tuple[int, dt.date, list[int]]]:
    """The releases the app would have made: per site, in submission order, a release each time
    `threshold` ratings are pending (the rest stays pending). rows: (rating id, site, submitted),
    ordered by site and submission. Returns (site, release date, rating ids)."""
    releases, pending, site_of_pending = [], [], None
    for rating_id, site, submitted in rows:
        if site != site_of_pending:
            pending, site_of_pending = [], site
        pending.append(rating_id)
        if len(pending) >= threshold:
            releases.append((site, submitted, pending))
            pending = []
    return releases


def generate(engine: Engine, scale: str | Scale, *, seed: int = 1, today: dt.date | None = None,
             progress: bool = True) -> dict[str, int]:
    """Fill an empty, migrated database. Returns rows inserted per table."""
    sc = SCALES[scale] if isinstance(scale, str) else scale
    return Generator(engine, sc, seed, today or clock.today()).build(progress=progress)


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
