// The standard processors, exported as the plugin "standard". Definitions are function-local statics, so
// they are built inside the manifest call, where the loader can catch a failure, not in dlopen.
#include "sluice/plugin.hpp"

#include "generate_flow_file.hpp"
#include "get_file.hpp"
#include "log_attribute.hpp"
#include "put_file.hpp"

SLUICE_PLUGIN("standard", &sluice::standard::generate_flow_file_definition(),
              &sluice::standard::get_file_definition(), &sluice::standard::put_file_definition(),
              &sluice::standard::log_attribute_definition())
