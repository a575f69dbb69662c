# What `cmake --install` puts in place: the public headers, the three libraries with their exported
# targets and a CMake package config (find_package(datamesh) gives datamesh::datamesh,
# datamesh::local and datamesh::aws), a pkg-config file (pkg-config datamesh, and datamesh-local),
# and the CLI. scripts/package makes a .deb of the same with CPack.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/datamesh DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS datamesh_aws datamesh_local datamesh_datamesh EXPORT datamesh-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS datamesh RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The man pages and shell completions, made by the CLI from its own command table at build time.
set(DATAMESH_DOCS_DIR ${PROJECT_BINARY_DIR}/docs)
add_custom_command(
  OUTPUT ${DATAMESH_DOCS_DIR}/man1/datamesh.1 ${DATAMESH_DOCS_DIR}/datamesh.bash ${DATAMESH_DOCS_DIR}/_datamesh
         ${DATAMESH_DOCS_DIR}/datamesh.fish
  COMMAND datamesh man --output-dir ${DATAMESH_DOCS_DIR}/man1
  COMMAND datamesh completion bash > ${DATAMESH_DOCS_DIR}/datamesh.bash
  COMMAND datamesh completion zsh > ${DATAMESH_DOCS_DIR}/_datamesh
  COMMAND datamesh completion fish > ${DATAMESH_DOCS_DIR}/datamesh.fish
  DEPENDS datamesh
  COMMENT "Generating the man pages and shell completions from the command table")
add_custom_target(datamesh_docs ALL DEPENDS ${DATAMESH_DOCS_DIR}/man1/datamesh.1 ${DATAMESH_DOCS_DIR}/datamesh.bash)
install(DIRECTORY ${DATAMESH_DOCS_DIR}/man1 DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${DATAMESH_DOCS_DIR}/datamesh.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME datamesh)
install(FILES ${DATAMESH_DOCS_DIR}/_datamesh DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${DATAMESH_DOCS_DIR}/datamesh.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

set(DATAMESH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/datamesh)
install(EXPORT datamesh-targets NAMESPACE datamesh:: DESTINATION ${DATAMESH_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/datamesh-config.cmake.in
                              ${PROJECT_BINARY_DIR}/datamesh-config.cmake INSTALL_DESTINATION ${DATAMESH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/datamesh-config-version.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/datamesh-config.cmake ${PROJECT_BINARY_DIR}/datamesh-config-version.cmake
        DESTINATION ${DATAMESH_CMAKE_DIR})

# Relocatable: the prefix is found from where the .pc file lies (cmake --install --prefix anywhere).
file(RELATIVE_PATH DATAMESH_PC_PREFIX "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
foreach(pc datamesh datamesh-local)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()

if(NOT CMAKE_SOURCE_DIR STREQUAL PROJECT_SOURCE_DIR)
  return()  # inside another project (add_subdirectory): its packaging is its own
endif()

# The .deb (scripts/package): Debian's packages the libraries and the CLI need at run time are
# found by dpkg-shlibdeps; the headers need these -dev packages to be used.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME datamesh)
set(CPACK_PACKAGE_VENDOR "datamesh")
set(CPACK_PACKAGE_CONTACT "datamesh maintainers <datamesh@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Build and run a data mesh on AWS Lake Formation: C++ library and CLI")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "nlohmann-json3-dev, libcurl4-openssl-dev | libcurl-dev, libssl-dev, libpugixml-dev, libspdlog-dev, libfmt-dev, libre2-dev, libsqlite3-dev, libcpp-httplib-dev, zlib1g-dev, pkg-config, python3 (>= 3.11), python3 (<< 3.12)")
include(CPack)
