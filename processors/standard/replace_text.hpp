// ReplaceText: replaces text in content by regex or literal, per line or in the whole content.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::standard {

const ProcessorDefinition& replace_text_definition();

}  // namespace sluice::standard
