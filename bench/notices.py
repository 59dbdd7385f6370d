"""Benchmark: exposure notices at province volume (issue 14). A case with 50,000 contacts (every
one with a phone) is sent: how long the official's request takes to accept it, how fast a real
`vaora worker` process writes the in-app notices and sends the SMS to a local HTTP gateway at
the configured rate, and how it comes back from a gateway outage in the middle — with every
message accepted by the gateway exactly once.

    .venv/bin/python bench/notices.py            (BENCH_NOTICES, BENCH_SMS_RATE, BENCH_OUTAGE_S)

Writes bench/results/notices-<database>.json."""

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

N = int(os.environ.get("BENCH_NOTICES", "50000"))
RATE = float(os.environ.get("BENCH_SMS_RATE", "500"))
OUTAGE_SECONDS = float(os.environ.get("BENCH_OUTAGE_S", "20"))


def build_case():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from vaora.core.models import Place
    from vaora.core.roles import Role
    from vaora.people.models import Person
    from vaora.tracing.models import Case, Contact, NoticeBatch

    place = Place.objects.create(code="40", name="Nghệ An", level="province")
    official = get_user_model().objects.create(username="bench-health", role=Role.HEALTH,
                                               jurisdiction=place)  # fmt: skip
    f0 = Person.rows.create(name="F0", phone="0900000000")
    now = timezone.now()
    case = Case.rows.create(person=f0, place=place, opened_by=official, purpose="benchmark",
                            test_date=now.date(), window_start=now - datetime.timedelta(days=14),
                            window_end=now)  # fmt: skip
    for first in range(0, N, 5000):
        people = Person.rows.bulk_create(
            [Person(name=f"Người {i}", phone=f"+8491{i:07d}") for i in range(first,
                                                                          min(first + 5000, N))]
        )  # fmt: skip
        Contact.rows.bulk_create([
            Contact(case=case, person=p, degree=2, via_person=f0, transport_ref="29B-12345",
                    exposed_from=now - datetime.timedelta(days=2),
                    exposed_until=now - datetime.timedelta(days=2), risk="low")
            for p in people
        ])  # fmt: skip
    batch = NoticeBatch.rows.create(case=case, size=N, status=NoticeBatch.Status.APPROVED,
                                    degree=2)  # fmt: skip
    through = NoticeBatch.contacts.through
    through.objects.bulk_create([through(noticebatch_id=batch.pk, contact_id=c)
                                 for c in case.contacts.values_list("pk", flat=True)],
                                batch_size=5000)  # fmt: skip
    return official, batch


def main() -> None:
    common.configure(common.WORK / "notices.sqlite3")
    common.fresh_database(common.WORK / "notices.sqlite3")
    from tests.gateway import Gateway

    with Gateway() as gateway:
        os.environ |= {
            "VAORA_SMS_BACKEND": "http",
            "VAORA_SMS_HTTP_URL": gateway.url,
            "VAORA_SMS_RATE": str(RATE),
            "VAORA_WORKER_STALE_SECONDS": "8",
        }
        import django

        django.setup()
        from django.core.management import call_command

        from vaora.core.models import SmsMessage
        from vaora.tracing import alerts
        from vaora.tracing.models import Notice, NoticeBatch

        call_command("migrate", verbosity=0)
        built = time.perf_counter()
        official, batch = build_case()
        print(f"case with {N} contacts built in {time.perf_counter() - built:.0f} s")

        started = time.perf_counter()
        alerts.send(official, batch)
        accepted_s = time.perf_counter() - started
        print(f"send accepted in {accepted_s * 1000:.0f} ms")

        worker = subprocess.Popen([sys.executable, "-m", "vaora.cli", "worker"], cwd=common.ROOT,
                                  env=os.environ.copy(), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        clock, notices_s, down_at, up_at, back_after = time.monotonic(), None, None, None, None
        first_sent = None
        deadline = clock + N / RATE * 4 + 600
        try:
            while len(gateway.accepted) < N and time.monotonic() < deadline:
                time.sleep(0.05)
                now = time.monotonic()
                if notices_s is None and NoticeBatch.rows.get(pk=batch.pk).status == "sent":
                    notices_s = now - clock
                count = len(gateway.accepted)
                if first_sent is None and count:
                    first_sent = now
                if down_at is None and count >= N // 3:
                    gateway.down, down_at, at_outage = True, now, count
                if down_at and up_at is None and now - down_at >= OUTAGE_SECONDS:
                    gateway.down, up_at, at_recovery = False, now, count
                if up_at and back_after is None and count > at_recovery:
                    back_after = now - up_at
            finished = time.monotonic() - clock
        finally:
            worker.terminate()
            worker.wait(60)
        statuses = dict.fromkeys(SmsMessage.Status.values, 0)
        for status in SmsMessage.objects.values_list("status", flat=True):
            statuses[status] += 1
        # From the first message out to the last, less the outage and the wait after it.
        sending_seconds = finished - (first_sent - clock) - OUTAGE_SECONDS - (back_after or 0)
        result = {
            "benchmark": "notices", "database": common.database_settings(), **common.durability(),
            "machine": common.machine(), "recipients": N, "configured_rate_per_s": RATE,
            "send_accepted_ms": round(accepted_s * 1000, 1),
            "notices_written_s": round(notices_s, 1) if notices_s else None,
            "in_app_notices": Notice.rows.filter(batch=batch).count(),
            "first_sms_s": round(first_sent - clock, 1),
            "all_delivered_s": round(finished, 1),
            "outage": {"after_messages": at_outage, "seconds": OUTAGE_SECONDS,
                       "messages_accepted_during": at_recovery - at_outage,
                       "first_delivery_after_recovery_s": round(back_after or -1, 1)},
            "send_rate_per_s": round(N / sending_seconds, 1),
            "gateway": {"accepted_once": len(gateway.accepted), "requests": gateway.requests},
            "sms_status": statuses,
        }  # fmt: skip
    vendor = "postgresql" if "postgres" in os.environ["DATABASE_URL"] else "sqlite"
    out = common.RESULTS / f"notices-{vendor}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if len(gateway.accepted) != N or statuses["sent"] != N:
        sys.exit("not every message was delivered exactly once")


if __name__ == "__main__":
    main()
