#pragma once

#include <cstdint>
#include <vector>

namespace rs {

// The permutation numpy 1.24's np.argsort(values) returns for an unsigned 64-bit array with the default
// kind="quicksort": numpy's introsort (median-of-3 quicksort, insertion sort for ranges of at most 16
// elements, heapsort past a depth of 2·floor(log2 n)). It is not stable: equal values keep their input
// order only while the whole array has at most 16 elements.
//
// Reproduced so that LISA's painting order (np.argsort(area)[::-1], formats.md §1.3) matches for tied
// areas. LISA pins numpy 1.24.2, whose argsort has no SIMD path for 64-bit integers; numpy >= 1.25 on
// AVX-512 machines (x86-simd-sort) may order ties differently.
std::vector<int> numpyArgsort(const std::vector<std::uint64_t> &values);

} // namespace rs
