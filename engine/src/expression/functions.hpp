// The implementations the function table points at, one family per source file.
#pragma once

#include "expression/call.hpp"

namespace sluice::internal::el::fn {

// string_functions.cpp
Value to_upper(const Call& c);
Value to_lower(const Call& c);
Value trim(const Call& c);
Value length(const Call& c);
Value to_string(const Call& c);
Value substring(const Call& c);
Value substring_before(const Call& c);
Value substring_before_last(const Call& c);
Value substring_after(const Call& c);
Value substring_after_last(const Call& c);
Value replace(const Call& c);
Value replace_first(const Call& c);
Value replace_all(const Call& c);
Value replace_null(const Call& c);
Value replace_empty(const Call& c);
Value append(const Call& c);
Value prepend(const Call& c);
Value pad_left(const Call& c);
Value pad_right(const Call& c);
Value repeat(const Call& c);
Value get_delimited_field(const Call& c);
Value starts_with(const Call& c);
Value ends_with(const Call& c);
Value contains(const Call& c);
Value find(const Call& c);
Value matches(const Call& c);
Value index_of(const Call& c);
Value last_index_of(const Call& c);

// boolean_functions.cpp
Value is_null(const Call& c);
Value not_null(const Call& c);
Value is_empty(const Call& c);
Value equals(const Call& c);
Value equals_ignore_case(const Call& c);
Value gt(const Call& c);
Value ge(const Call& c);
Value lt(const Call& c);
Value le(const Call& c);
Value logical_and(const Call& c);
Value logical_or(const Call& c);
Value logical_not(const Call& c);
Value if_else(const Call& c);
Value in(const Call& c);

// math_functions.cpp
Value plus(const Call& c);
Value minus(const Call& c);
Value multiply(const Call& c);
Value divide(const Call& c);
Value mod(const Call& c);
Value to_number(const Call& c);
Value to_decimal(const Call& c);
Value to_radix(const Call& c);
Value from_radix(const Call& c);
Value math(const Call& c);
void prepare_math(const PrepareContext& context);
Value random(const Call& c);

// date_functions.cpp
Value now(const Call& c);
Value format(const Call& c);
Value to_date(const Call& c);
void prepare_date(const PrepareContext& context);

// encoding_functions.cpp
Value url_encode(const Call& c);
Value url_decode(const Call& c);
Value escape_json(const Call& c);
Value unescape_json(const Call& c);
Value escape_xml(const Call& c);
Value unescape_xml(const Call& c);
Value escape_csv(const Call& c);
Value unescape_csv(const Call& c);
Value base64_encode(const Call& c);
Value base64_decode(const Call& c);
Value hash(const Call& c);
void prepare_hash(const PrepareContext& context);

// json_functions.cpp
Value json_path(const Call& c);
Value json_path_delete(const Call& c);
Value json_path_set(const Call& c);
Value is_json(const Call& c);
void prepare_json_path(const PrepareContext& context);

// system_functions.cpp
Value uuid(const Call& c);
Value hostname(const Call& c);
Value literal(const Call& c);

}  // namespace sluice::internal::el::fn
