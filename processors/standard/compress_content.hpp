// CompressContent: compresses or decompresses content (gzip, zstd, lz4, snappy), streaming.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& compress_content_definition();

}  // namespace sluice::standard
