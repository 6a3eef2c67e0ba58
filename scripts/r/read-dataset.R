# The project's datasets as R data frames, read the way the engine reads them: with DATA.schema.json next to
# DATA.csv, each column by its schema type (factors with the schema's level order); without one, numbers as
# numbers and strings as factors with levels sorted in the C locale. Sourced by the fixture and bench scripts.
read_dataset <- function(path) {
  sp <- sub("\\.csv$", ".schema.json", path)
  raw <- read.csv(path, colClasses = "character", na.strings = character(0), check.names = FALSE, fileEncoding = "UTF-8-BOM")
  if (!file.exists(sp)) {
    return(as.data.frame(lapply(raw, function(v) { v[v == ""] <- NA; n <- suppressWarnings(as.numeric(v))
      if (all(is.na(v) | !is.na(n))) n else factor(v, levels = sort(unique(v[!is.na(v)]), method = "radix")) }), check.names = FALSE))
  }
  sch <- jsonlite::fromJSON(sp, simplifyVector = FALSE)
  d <- list()
  for (col in sch$columns) { v <- raw[[col$name]]; v[v == "" | v == "NA"] <- NA
    d[[col$name]] <- switch(col$type, numeric = as.numeric(v), integer = as.integer(v),
      factor = factor(v, levels = unlist(col$levels)), ordered = factor(v, levels = unlist(col$levels), ordered = TRUE)) }
  as.data.frame(d, check.names = FALSE)
}
