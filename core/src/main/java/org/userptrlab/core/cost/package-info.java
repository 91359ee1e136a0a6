/**
 * The cost model: platform profiles whose every figure carries its source, and the pricing of a
 * run's counted kernel work into nanoseconds by {@link org.userptrlab.core.cost.CostItem}. The
 * memory manager itself knows nothing of time.
 */
package org.userptrlab.core.cost;
