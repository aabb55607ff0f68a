// The standard processors, exported as the plugin "standard". Definitions are function-local statics, so
// they are built inside the manifest call, where the loader can catch a failure, not in dlopen.
#include "sluice/plugin.hpp"

#include "attributes_to_json.hpp"
#include "compress_content.hpp"
#include "control_rate.hpp"
#include "detect_duplicate.hpp"
#include "duplicate_flow_file.hpp"
#include "extract_text.hpp"
#include "generate_flow_file.hpp"
#include "get_file.hpp"
#include "hash_content.hpp"
#include "identify_mime_type.hpp"
#include "log_attribute.hpp"
#include "merge_content.hpp"
#include "put_file.hpp"
#include "replace_text.hpp"
#include "route_on_attribute.hpp"
#include "route_on_content.hpp"
#include "split_text.hpp"
#include "update_attribute.hpp"

SLUICE_PLUGIN("standard", &sluice::standard::attributes_to_json_definition(),
              &sluice::standard::compress_content_definition(), &sluice::standard::control_rate_definition(),
              &sluice::standard::detect_duplicate_definition(),
              &sluice::standard::duplicate_flow_file_definition(),
              &sluice::standard::extract_text_definition(),
              &sluice::standard::generate_flow_file_definition(), &sluice::standard::get_file_definition(),
              &sluice::standard::hash_content_definition(),
              &sluice::standard::identify_mime_type_definition(),
              &sluice::standard::log_attribute_definition(), &sluice::standard::merge_content_definition(),
              &sluice::standard::put_file_definition(), &sluice::standard::replace_text_definition(),
              &sluice::standard::route_on_attribute_definition(),
              &sluice::standard::route_on_content_definition(), &sluice::standard::split_text_definition(),
              &sluice::standard::update_attribute_definition())
