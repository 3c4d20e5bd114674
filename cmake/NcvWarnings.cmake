# Warning flags for ncv's own code (not for Verilator's generated C++).
function(ncv_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra $<$<BOOL:${NCV_WERROR}>:-Werror>)
endfunction()
