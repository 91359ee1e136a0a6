/**
 * Virtual time for a run: a clock per CPU thread, GPU engine and kernel worker, dma_fences that
 * signal when a GPU job ends, the dma_resv of an object that a driver's invalidation waits on, and
 * the latency of each kind of call the program made. Nothing here sleeps or reads a real clock: a
 * run's timing is a result like its verdict, the same for the same program and schedule.
 */
package org.userptrlab.core.time;
