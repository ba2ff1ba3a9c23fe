"""Stations signing at the same moment extend one unbroken chain (real threads, one database).

Each thread has its own app context, so its own session and connection, like a request in a threaded
server. All are released together with a Barrier; each reads the same tail, only one can take the next
sequence, the others collide on the unique index and retry on the new tail.
"""
import threading

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.signing.evidence import first_break
from eventapp.signing.models import Signature
from eventapp.signing.services import SignInput, Station, sign
from test_signing import partner_named, png, signatory, signing_event, strokes  # noqa: F401 - fixtures

pytestmark = pytest.mark.slow
STATIONS = 8
ROUNDS = 3


@pytest.fixture(autouse=True)
def _close_pooled_connections(app):
    yield
    db.session.remove()
    db.engine.dispose()


def test_simultaneous_stations_make_one_unbroken_chain(app, signatory, runner, monkeypatch):
    import eventapp.signing.services as services

    for n in range(STATIONS * ROUNDS):
        signatory(f"Organisatie {n:02d}")
    partner_ids = [partner_named(f"Organisatie {n:02d}").id for n in range(STATIONS * ROUNDS)]
    image, pen = png(), strokes()
    # Count the collisions, so the test shows the retry path was really taken.
    collisions = []
    real_append = services._append

    def counting_append(*args, **kw):
        try:
            return real_append(*args, **kw)
        except Exception as exc:
            collisions.append(type(exc).__name__)
            raise

    monkeypatch.setattr(services, "_append", counting_append)
    barrier = threading.Barrier(STATIONS)
    errors = []

    def station(i):
        try:
            with app.app_context():
                try:
                    for round_ in range(ROUNDS):
                        barrier.wait(timeout=60)
                        sign(SignInput(partner_ids=[partner_ids[round_ * STATIONS + i]], signer_name=f"Signer {i}",
                                       image=image, strokes=pen), Station(device_name=f"Tafel {i}"))
                finally:
                    db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=station, args=(i,)) for i in range(STATIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    db.session.expire_all()
    records = db.session.execute(select(Signature).order_by(Signature.sequence)).scalars().all()
    assert [r.sequence for r in records] == list(range(1, STATIONS * ROUNDS + 1))
    assert all(b.prev_hash == a.record_hash for a, b in zip(records, records[1:]))
    assert first_break() is None
    assert runner.invoke(args=["pledge", "verify"]).exit_code == 0
    print(f"\n{STATIONS} stations x {ROUNDS} rounds on {db.engine.dialect.name}: {len(collisions)} collisions retried")
    assert collisions, "no two stations collided: the race was not exercised"
