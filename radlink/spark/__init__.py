"""radlink on Apache Spark: the same extraction and linkage on a cluster, the same results.

Optional (``pip install 'radlink[spark]'``, pyspark 3.5 and a Java runtime); nothing
here is imported by ``import radlink``.

* :func:`link_spark` — the ``links`` table of :func:`radlink.linkage.link`, computed on
  Spark (:mod:`radlink.spark.linkage`);
* report extraction: ``ReportExtractor().extract(spark_df)`` (:mod:`radlink.nlp.spark`);
* :func:`spark_session` — the active session, else a local one on loopback;
* :func:`to_spark` — a canonical pandas table as a Spark DataFrame;
* :func:`spark_engine` — the extractor and linker of the timeline job on Spark.

The pandas engine stays the default everywhere; ``--engine spark`` selects this one
in ``radlink extract`` and ``radlink timeline``.
"""

from radlink.engines import spark_session
from radlink.spark.frames import to_spark
from radlink.spark.linkage import link_spark
from radlink.spark.timeline import spark_engine

__all__ = ["link_spark", "spark_engine", "spark_session", "to_spark"]
