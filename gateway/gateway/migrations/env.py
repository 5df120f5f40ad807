from eventlog.migrations import run_env

run_env()
