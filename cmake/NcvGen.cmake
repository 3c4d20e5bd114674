# Generators: configs/*.yaml and SystemRDL are the sources of truth; these rules turn them
# into the RTL package and CSR blocks, C/C++ headers and Python maps at build time.
set(NCV_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
file(GLOB NCV_GEN_PY CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/python/ncv/gen/*.py
     ${CMAKE_SOURCE_DIR}/python/ncv/config.py)
set(NCV_PYENV ${CMAKE_COMMAND} -E env PYTHONPATH=${CMAKE_SOURCE_DIR}/python ${Python3_EXECUTABLE})
add_custom_target(ncv_gen_regs_all)

# verilate() reads the list of Verilated C++ files at configure time, so the generated
# RTL must be current then: regenerate at configure when a source is newer, and make the
# sources configure dependencies (a changed RTL file re-runs configure, and with it
# Verilator, so a grown model never links against a stale file list).
function(ncv_gen_now witness src)
  set_property(DIRECTORY ${CMAKE_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  if(NOT EXISTS ${witness} OR ${src} IS_NEWER_THAN ${witness})
    execute_process(COMMAND ${NCV_PYENV} ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "ncv: generator failed: ${ARGN}")
    endif()
  endif()
endfunction()

# ncv_gen_params(cfg): gen/<cfg>/nct_cfg_pkg.sv and gen/<cfg>/ncv_cfg.h; target ncv_cfg_<cfg>.
function(ncv_gen_params cfg)
  set(out ${NCV_GEN_DIR}/${cfg})
  ncv_gen_now(${out}/ncv_cfg.h ${CMAKE_SOURCE_DIR}/configs/${cfg}.yaml -m ncv.gen params --config ${cfg} --out ${out})
  add_custom_command(
    OUTPUT ${out}/nct_cfg_pkg.sv ${out}/ncv_cfg.h
    COMMAND ${NCV_PYENV} -m ncv.gen params --config ${cfg} --out ${out}
    DEPENDS ${CMAKE_SOURCE_DIR}/configs/${cfg}.yaml ${NCV_GEN_PY}
    COMMENT "Generating build parameters of config ${cfg}")
  add_custom_target(ncv_gen_cfg_${cfg} DEPENDS ${out}/nct_cfg_pkg.sv ${out}/ncv_cfg.h)
  add_library(ncv_cfg_${cfg} INTERFACE)
  target_include_directories(ncv_cfg_${cfg} INTERFACE ${out})
  add_dependencies(ncv_cfg_${cfg} ncv_gen_cfg_${cfg})
endfunction()

# ncv_gen_regs(name rdl [RTL] [SV_PKG] [ADDR_WIDTH n]): gen/regs/<name>_regs.{h,py}, the
# Markdown map gen/docs/<name>.md, with RTL gen/regs/<name>.sv and <name>_pkg.sv
# (PeakRDL-regblock), with SV_PKG gen/regs/<name>_regs_pkg.sv (address and field constants
# for RTL with its own decoder).
function(ncv_gen_regs name rdl)
  cmake_parse_arguments(R "RTL;SV_PKG" "ADDR_WIDTH" "" ${ARGN})
  set(out ${NCV_GEN_DIR}/regs)
  set(outputs ${out}/${name}_regs.h ${out}/${name}_regs.py ${NCV_GEN_DIR}/docs/${name}.md)
  set(args ${rdl} --out ${out} --doc ${NCV_GEN_DIR}/docs/${name}.md)
  if(R_RTL)
    list(APPEND outputs ${out}/${name}.sv ${out}/${name}_pkg.sv)
    list(APPEND args --rtl)
  endif()
  set(witness ${out}/${name}_regs.h)
  if(R_SV_PKG)
    list(APPEND outputs ${out}/${name}_regs_pkg.sv)
    list(APPEND args --sv-pkg)
    set(witness ${out}/${name}_regs_pkg.sv)
  endif()
  if(R_ADDR_WIDTH)
    list(APPEND args --addr-width ${R_ADDR_WIDTH})
  endif()
  ncv_gen_now(${witness} ${rdl} -m ncv.gen regs ${args})
  add_custom_command(OUTPUT ${outputs}
    COMMAND ${NCV_PYENV} -m ncv.gen regs ${args}
    DEPENDS ${rdl} ${NCV_GEN_PY}
    COMMENT "Generating register map ${name} from SystemRDL")
  add_custom_target(ncv_gen_regs_${name} DEPENDS ${outputs})
  add_dependencies(ncv_gen_regs_all ncv_gen_regs_${name})
endfunction()

# ncv_gen_isa(): gen/isa/nct_isa.h, gen/isa/nct_isa_pkg.sv and gen/isa/isa.md from
# models/golden/data/isa.yaml (the RTL package is generated at configure, like the CSR RTL).
function(ncv_gen_isa)
  set(yaml ${CMAKE_SOURCE_DIR}/models/golden/data/isa.yaml)
  set(out ${NCV_GEN_DIR}/isa)
  ncv_gen_now(${out}/nct_isa_pkg.sv ${yaml} -m ncv.gen isa --out ${out} --doc ${out}/isa.md)
  add_custom_command(OUTPUT ${out}/nct_isa.h ${out}/nct_isa_pkg.sv ${out}/isa.md
    COMMAND ${NCV_PYENV} -m ncv.gen isa --out ${out} --doc ${out}/isa.md
    DEPENDS ${yaml} ${NCV_GEN_PY} ${CMAKE_SOURCE_DIR}/python/ncv/isa.py
    COMMENT "Generating the ISA header and reference")
  add_custom_target(ncv_gen_isa_files DEPENDS ${out}/nct_isa.h ${out}/isa.md)
  add_library(ncv_isa INTERFACE)
  target_include_directories(ncv_isa INTERFACE ${out})
  add_dependencies(ncv_isa ncv_gen_isa_files)
endfunction()
