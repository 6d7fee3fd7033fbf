/** The KL weight per epoch: off, then a linear warm-up, then constant ({@link org.sparsevd.core.schedule.KlWeightSchedule}). */
package org.sparsevd.core.schedule;
