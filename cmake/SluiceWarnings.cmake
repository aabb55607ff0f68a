# Warnings for sluice's own targets only (third-party headers come in as SYSTEM includes).
function(sluice_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
                                           -Wnon-virtual-dtor -Woverloaded-virtual)
  if(SLUICE_SANITIZE)
    # Sanitizer instrumentation makes GCC 12 report maybe-uninitialized inside libstdc++ (std::regex's
    # std::function moves) where nothing is uninitialized; the release build keeps the warning.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(SLUICE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
