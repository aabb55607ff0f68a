// IdentifyMimeType: sets mime.type from the content's magic bytes (libmagic).
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& identify_mime_type_definition();

}  // namespace sluice::standard
