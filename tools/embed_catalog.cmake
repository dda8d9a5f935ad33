# Writes ${OUT}: every ${DIR}/*.textproto as a C++ table of {file name,
# contents}, so the server binary carries the SR catalog it validated at
# build time (see server/catalog/catalog.h). Run by the build, not by hand.
file(GLOB files ${DIR}/*.textproto)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(APPEND body "  {\"${name}\", R\"cms_txt(${text})cms_txt\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from server/catalog/ by tools/embed_catalog.cmake. Do not edit.\n#include \"server/catalog/catalog.h\"\n\nnamespace cms::catalog {\n\nconst std::vector<CatalogFile>& EmbeddedCatalogFiles() {\n  static const std::vector<CatalogFile> kFiles = {\n${body}  };\n  return kFiles;\n}\n\n}  // namespace cms::catalog\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
