"""Grading on a Dask cluster: ``grade ... --scheduler tcp://HOST:8786``.

Needs the ``[cluster]`` extra (``distributed``) on the grading machine and on
every worker, with the kit installed the same way.  Each submission is one
Dask task, ``runner.grade_task``: the worker grades the bytes it is sent in
its own local sandbox with the same limits (one submission at a time per
worker process, see runner.py), and only the plain record comes back.  The
course secret stays on the grading machine: a task carries the submission's
inputs salt, never the secret.

The grading machine keeps each record as it arrives (cache.py), so a client
killed halfway loses nothing already graded; a worker that dies mid-task is
replaced by Dask and its tasks run elsewhere (``retries``); a task that
killed ``ALLOWED_FAILURES`` workers is recorded as not graded.
"""
from . import records, runner, submissions

CONNECT_SECONDS = 30
RETRIES = 2


def run_cluster(tasks, limits, protected, scheduler, window=None):
    """Yield (task, record) for every Task of ``tasks``, graded on the Dask
    cluster at ``scheduler``; at most ``window`` (default: 2 per worker
    thread) tasks are in flight, so memory stays flat."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise SystemExit("grade --scheduler needs Dask: pip install -e '.[cluster]'") from None
    client = Client(scheduler, timeout=CONNECT_SECONDS)
    try:
        window = window or max(2, 2 * sum(client.nthreads().values()))
        tasks = iter(tasks)
        pending = {}
        stream = as_completed()

        def submit():
            task = next(tasks, None)
            if task is None:
                return False
            future = client.submit(runner.grade_task, task, limits, protected, pure=False,
                                   retries=RETRIES)
            pending[future.key] = task
            stream.add(future)
            return True

        while len(pending) < window and submit():
            pass
        for future in stream:
            task = pending.pop(future.key)
            try:
                record = future.result()
            except Exception as exc:    # noqa: BLE001 - a lost worker must not stop the batch
                record = _lost(task, protected, exc)
            finally:
                future.release()
            yield task, record
            submit()
    finally:
        client.close()


def _lost(task, protected, exc):
    error = submissions.ReadError(f"the cluster could not grade this submission "
                                  f"({type(exc).__name__}: {str(exc)[:300]})")
    return records.grade_notebook(error, None, None, name=task.name, student=task.student,
                                  protected=protected)
