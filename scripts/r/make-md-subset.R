# The tutorial's multiple-demand subset of Diachek2020 (System "MD", Experiment19-24), written as
# data/diachek_md.csv with a schema that orders Condition W, S. Run from the project root:
#   Rscript scripts/r/make-md-subset.R
d <- read.csv("data/Diachek2020.csv", fileEncoding = "UTF-8-BOM", stringsAsFactors = FALSE)
md <- d[d$System == "MD" & d$Experiment %in% paste0("Experiment", 19:24), ]
rownames(md) <- NULL
write.csv(md, "data/diachek_md.csv", row.names = FALSE, quote = FALSE)
cols <- lapply(names(md), function(n) {
  v <- md[[n]]
  if (is.numeric(v)) return(sprintf('    {"name": "%s", "type": "numeric"}', n))
  lev <- if (n == "Condition") c("W", "S") else sort(unique(v), method = "radix")
  sprintf('    {"name": "%s", "type": "factor", "levels": [%s]}', n, paste0('"', lev, '"', collapse = ", "))
})
writeLines(c("{", '  "name": "diachek_md",', sprintf('  "nrow": %d,', nrow(md)), '  "columns": [',
             paste(unlist(cols), collapse = ",\n"), "  ]", "}"), "data/diachek_md.schema.json")
cat(nrow(md), "rows\n")
