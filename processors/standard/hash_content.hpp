// HashContent: puts a cryptographic hash of the content (MD5, SHA-1, SHA-256, SHA-512) into an attribute.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& hash_content_definition();

}  // namespace sluice::standard
