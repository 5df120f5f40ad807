#!/bin/sh
# One database per service; run once by the postgres image on an empty volume.
set -e
for db in plans sessions oversight reporting gateway; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" -c "CREATE DATABASE $db"
done
