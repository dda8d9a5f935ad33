# Writes ${OUT}: every ${DIR}/${PATTERN} file as a C++ table of {file name,
# contents}, returned by ${FUNC}() (declared in ${HEADER}), so the server
# binary carries the catalog data it validates at start-up (the SR catalog,
# server/catalog/catalog.h; the letter templates, letter_templates.h; the
# bank holidays, bank_holidays.h). Run by the build, not by hand.
file(GLOB files ${DIR}/${PATTERN})
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(APPEND body "  {\"${name}\", R\"cms_txt(${text})cms_txt\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from server/catalog/ by tools/embed_catalog.cmake. Do not edit.\n#include \"${HEADER}\"\n\nnamespace cms::catalog {\n\nconst std::vector<CatalogFile>& ${FUNC}() {\n  static const std::vector<CatalogFile> kFiles = {\n${body}  };\n  return kFiles;\n}\n\n}  // namespace cms::catalog\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
