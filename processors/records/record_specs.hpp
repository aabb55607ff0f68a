// Property specs every record processor declares: its reader and writer services.
#pragma once

#include "sluice/spec.hpp"

namespace sluice::records {

PropertySpec reader_property();
PropertySpec writer_property();

}  // namespace sluice::records
