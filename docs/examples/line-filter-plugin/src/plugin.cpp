// The plugin's manifest: what `sluice` finds when it loads libsluice_line_filter.so.
#include "filter_lines.hpp"

SLUICE_PLUGIN("line-filter", &line_filter::filter_lines_definition())
