// Record-oriented processing: schemas (record_schema.hpp), values and records (record_value.hpp), record
// paths (record_path.hpp), and streaming readers and writers with their service interfaces (record_io.hpp).
#pragma once

#include "sluice/record_io.hpp"
#include "sluice/record_path.hpp"
#include "sluice/record_schema.hpp"
#include "sluice/record_value.hpp"
