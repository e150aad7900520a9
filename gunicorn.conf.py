"""gunicorn's settings for the portal (read from the working directory by gunicorn itself).

- Access log lines without query strings (a search for a name or a postcode is personal data)
  and with the request id, so one line can be followed into the application's JSON log.
- Prometheus' multi-process mode: every worker writes its request figures to a local folder,
  emptied when gunicorn starts, and /metrics adds them up (fnvregio/metrics.py).
"""

import os
import shutil
from pathlib import Path

_var = Path(os.environ.get("FNV_VAR_DIR", Path(__file__).resolve().parent / "var"))
_metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var / "prometheus")))

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s'


def on_starting(server):
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    _metrics_dir.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
