/**
 * The explorer as an Apache Spark job: {@link org.userptrlab.spark.SparkExplorer} runs each round's
 * programs on the executors and shrinks each signature's first program there, and the result is
 * byte for byte the one the single-machine explorer gives for the seed, however many partitions.
 * {@link org.userptrlab.spark.ExploreJob} is the job's main class for {@code spark-submit}.
 */
package org.userptrlab.spark;
