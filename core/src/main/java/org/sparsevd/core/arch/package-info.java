/**
 * Ready-made networks in each {@link org.sparsevd.core.arch.Variant} (plain, dropout, Sparse VD): LeNet-300-100,
 * LeNet-5, the VGG-like net and the small AlexNet, built by {@link org.sparsevd.core.arch.LayerFactory} from one
 * {@link org.sparsevd.core.arch.ArchitectureSettings}.
 */
package org.sparsevd.core.arch;
