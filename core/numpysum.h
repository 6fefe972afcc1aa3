#pragma once

#include <cstddef>
#include <vector>

namespace rs {

// np.add.reduce over a contiguous float64 array: numpy's pairwise summation (blocks of at most 128
// values summed with 8 interleaved accumulators, larger ranges split in two at a multiple of 8), so
// that means of many per-sample scores match numpy to the last bit.
double numpyPairwiseSum(const double *values, std::size_t count);

// np.mean of a list of Python floats: the pairwise sum divided by the count; NaN for an empty list.
double numpyMean(const std::vector<double> &values);

} // namespace rs
