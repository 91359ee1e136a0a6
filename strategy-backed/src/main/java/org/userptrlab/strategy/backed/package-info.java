/**
 * The strategies that let the GPU use the program's own pages while the program maps them:
 * held references (backed-pin), FOLL_LONGTERM pins charged to pinned_vm (backed-longterm), and an MMU
 * interval notifier mirror with no pin at all (backed-notifier).
 */
package org.userptrlab.strategy.backed;
