#===- cmake/GeluOptionalPackage.cmake - Find a package that may be broken -===#
#
# gelu_find_optional_package(<var> <package> [find_package arguments...])
#
# A package's CMake config can be half present: Debian's oneDNN installs
# dnnl-config.cmake, which calls find_package(OpenCL REQUIRED), without the
# OpenCL headers it needs (they are only recommended). A REQUIRED inside a
# config file ends the whole configure even when the caller said QUIET. So an
# optional package is first loaded in a separate CMake run (cmake/probe); only
# if that succeeds is it loaded here, in the caller's scope. <var> is set to
# TRUE or FALSE, and <var>_REASON to why it was not found.
#
#===----------------------------------------------------------------------===#

# Loads <package> in a throw-away CMake run; sets <var> and <var>_REASON.
function(gelu_probe_package var package)
  string(REPLACE ";" "|" joined "${package};${ARGN}")
  set(probe_dir ${CMAKE_BINARY_DIR}/CMakeFiles/gelu-probe-${package})
  file(REMOVE_RECURSE ${probe_dir})
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/probe
      -B ${probe_dir}
      -G ${CMAKE_GENERATOR}
      -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
      -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
      "-DCMAKE_PREFIX_PATH=${CMAKE_PREFIX_PATH}"
      "-D${package}_DIR=${${package}_DIR}"
      "-DGELU_PROBE_ARGS=${joined}"
    RESULT_VARIABLE status
    OUTPUT_QUIET
    ERROR_VARIABLE err)
  file(REMOVE_RECURSE ${probe_dir})
  if(status EQUAL 0)
    set(${var} TRUE PARENT_SCOPE)
    set(${var}_REASON "" PARENT_SCOPE)
    return()
  endif()
  # The most telling line: what could not be found, else the first error.
  string(REGEX MATCH "Could NOT find[^\n]*" reason "${err}")
  if(NOT reason)
    string(REGEX MATCH "CMake Error[^\n]*\n[^\n]*" reason "${err}")
    string(REGEX REPLACE "[ \n]+" " " reason "${reason}")
  endif()
  string(STRIP "${reason}" reason)
  set(${var} FALSE PARENT_SCOPE)
  set(${var}_REASON "${reason}" PARENT_SCOPE)
endfunction()

# A macro, so that the package's variables land in the caller's scope.
macro(gelu_find_optional_package var package)
  gelu_probe_package(${var} ${package} ${ARGN})
  if(${var})
    find_package(${package} ${ARGN} QUIET)
    if(NOT ${package}_FOUND)
      set(${var} FALSE)
      set(${var}_REASON "found by the probe, not here")
    endif()
  endif()
endmacro()
