#include "core/numpysum.h"

#include <limits>

namespace rs {

namespace {

constexpr std::size_t kBlockSize = 128; // numpy's PW_BLOCKSIZE
constexpr std::size_t kUnroll = 8;

double rounded(double value)
{
    volatile double stored = value;
    return stored;
}

} // namespace

double numpyPairwiseSum(const double *values, std::size_t count)
{
    if (count < kUnroll) {
        double sum = 0.0;
        for (std::size_t i = 0; i < count; ++i)
            sum = rounded(sum + values[i]);
        return sum;
    }
    if (count <= kBlockSize) {
        double lanes[kUnroll];
        for (std::size_t lane = 0; lane < kUnroll; ++lane)
            lanes[lane] = values[lane];
        std::size_t i = kUnroll;
        for (; i < count - count % kUnroll; i += kUnroll)
            for (std::size_t lane = 0; lane < kUnroll; ++lane)
                lanes[lane] = rounded(lanes[lane] + values[i + lane]);
        double sum = rounded(rounded(rounded(lanes[0] + lanes[1]) + rounded(lanes[2] + lanes[3]))
                             + rounded(rounded(lanes[4] + lanes[5]) + rounded(lanes[6] + lanes[7])));
        for (; i < count; ++i)
            sum = rounded(sum + values[i]);
        return sum;
    }
    std::size_t half = count / 2;
    half -= half % kUnroll;
    return rounded(numpyPairwiseSum(values, half) + numpyPairwiseSum(values + half, count - half));
}

double numpyMean(const std::vector<double> &values)
{
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    return numpyPairwiseSum(values.data(), values.size()) / double(values.size());
}

} // namespace rs
