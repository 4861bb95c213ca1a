"""Spark's Python worker daemon, with radlink's engine modules imported before it forks.

Spark starts one daemon per executor and forks a Python worker from it for each task
slot; each worker then imports what its function needs (pandas, pyarrow, the linkage
and its patterns). Imported here once, the forked workers find them loaded: a local
session (:data:`radlink.engines.LOCAL_CONF`, ``spark.python.daemon.module``) saves
that import in every worker. On a cluster the setting is the user's to choose (radlink
must then be installed on the executors, as it must be anyway).
"""

if __name__ == "__main__":  # imported as a module (doctest collection, no pyspark): nothing to do
    import pyspark.daemon

    import radlink.linkage  # noqa: F401  the linkage kernels every Spark linkage step runs
    import radlink.spark.exam_patient  # noqa: F401
    import radlink.spark.linkage  # noqa: F401

    pyspark.daemon.manager()
