# A config that needs a dependency that is not there, as dnnl-config.cmake
# needs OpenCL.
find_package(GeluNoSuchDependency REQUIRED)
