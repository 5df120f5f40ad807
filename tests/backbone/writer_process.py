"""One of many concurrent writers: appends N events to its own streams, as fast as it can."""

import sys

from eventlog.engine import make_engine
from eventlog.envelope import NewEvent
from eventlog.store import EventStore

url, writer, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = EventStore(make_engine(url, pool_size=1))
for i in range(count):
    size = 1 + i % 3  # one, two or three events per transaction
    store.append(
        f"{writer}-{i % 7}",
        None,
        [NewEvent("MemberEnrolled", {"writer": writer, "i": i, "k": k}) for k in range(size)],
    )
