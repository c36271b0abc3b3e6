#===- cmake/GeluInstall.cmake - What `cmake --install` puts where --------===#
#
# cmake --install BUILD --prefix P installs:
#   P/bin          gelu-opt, gelu-tune, gelu-accuracy, gelu-gpu-check
#   P/include      gelu/... (the public headers, generated ones included),
#                  gelu-c/gelu.h (the C API)
#   P/lib          libgelu-jit.so
#   P/lib/cmake/GeluJIT     the CMake package (GeluJIT::GeluJIT)
#   P/lib/pkgconfig         gelu-jit.pc
#   P/lib/python3.X/dist-packages/gelu_jit  the Python package
#                  (python/CMakeLists.txt: GELU_PYTHON_INSTALL_DIR)
# examples/downstream builds against such a tree, a C program uses the C
# API from it and Python imports the package from it (ctest: downstream-*).
#
#===----------------------------------------------------------------------===#
include(CMakePackageConfigHelpers)

set(GELU_CMAKE_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/GeluJIT)

install(TARGETS gelu-opt gelu-tune gelu-accuracy gelu-gpu-check
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS gelu-jit GeluIncludes EXPORT GeluJITTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT GeluJITTargets NAMESPACE GeluJIT::
  DESTINATION ${GELU_CMAKE_PACKAGE_DIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/gelu
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/gelu
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.h.inc")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/gelu-c
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/GeluJITConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/GeluJITConfig.cmake
  INSTALL_DESTINATION ${GELU_CMAKE_PACKAGE_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/GeluJITConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/GeluJITConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/GeluJITConfigVersion.cmake
  DESTINATION ${GELU_CMAKE_PACKAGE_DIR})

# pkg-config: the prefix is the one given at install time (cmake --install
# --prefix), so the file is written then.
set(GELU_PC_LLVM_CFLAGS "")
foreach(dir ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
  if(NOT GELU_PC_LLVM_CFLAGS MATCHES "-I${dir}( |$)")
    string(APPEND GELU_PC_LLVM_CFLAGS " -I${dir}")
  endif()
endforeach()
string(STRIP "${GELU_PC_LLVM_CFLAGS}" GELU_PC_LLVM_CFLAGS)
set(GELU_PC_PREFIX "%INSTALL_PREFIX%")
configure_file(${PROJECT_SOURCE_DIR}/cmake/gelu-jit.pc.in
  ${PROJECT_BINARY_DIR}/cmake/gelu-jit.pc.in @ONLY)
install(CODE "
  file(READ \"${PROJECT_BINARY_DIR}/cmake/gelu-jit.pc.in\" pc)
  string(REPLACE \"%INSTALL_PREFIX%\" \"\${CMAKE_INSTALL_PREFIX}\" pc \"\${pc}\")
  file(WRITE \"${PROJECT_BINARY_DIR}/cmake/gelu-jit.pc\" \"\${pc}\")")
install(FILES ${PROJECT_BINARY_DIR}/cmake/gelu-jit.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
