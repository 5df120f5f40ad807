"""Root test configuration: eventlet first, then real brokers and databases per test.

Every test that touches RabbitMQ gets its own vhost and every test that touches
PostgreSQL its own database; both are removed afterwards.
"""

import eventlet

eventlet.monkey_patch()

from eventlog.green import cooperative_postgres  # noqa: E402

cooperative_postgres()

pytest_plugins = ["testing_support.fixtures", "testing_support.services"]
