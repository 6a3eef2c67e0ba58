# lmerTest's ranova() and ls_means(), lme4's confint() (Wald and profile) and the prints of VarCorr(),
# fixef() and coef(summary()) for test/inference.test.ts.
# Run from the project root: Rscript scripts/r/inference-cases.R
suppressMessages({library(lme4); library(lmerTest); library(jsonlite)})
options(width = 80, digits = 7)
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
rd <- function(path) {
  sch <- fromJSON(sub("\\.csv$", ".schema.json", path), simplifyVector = FALSE)
  raw <- read.csv(path, colClasses = "character", na.strings = character(0), check.names = FALSE)
  d <- list()
  for (col in sch$columns) { v <- raw[[col$name]]; v[v == "" | v == "NA"] <- NA
    d[[col$name]] <- switch(col$type, numeric = as.numeric(v), integer = as.integer(v),
      factor = factor(v, levels = unlist(col$levels)), ordered = factor(v, levels = unlist(col$levels), ordered = TRUE)) }
  as.data.frame(d, check.names = FALSE)
}
txt <- function(x) paste(capture.output(print(x)), collapse = "\n")
tab <- function(x) { x <- as.data.frame(x, check.names = FALSE); lapply(seq_len(nrow(x)), function(i) c(list(term = rownames(x)[i]), as.list(x[i, ]))) }
cases <- list(
  sleep_slope = list("data/sleepstudy.csv", "Reaction ~ Days + (Days | Subject)", TRUE),
  sleep_uncorr = list("data/sleepstudy.csv", "Reaction ~ Days + (Days || Subject)", TRUE),
  pastes = list("data/Pastes.csv", "strength ~ 1 + (1 | batch/cask)", TRUE),
  penicillin = list("data/Penicillin.csv", "diameter ~ 1 + (1 | plate) + (1 | sample)", TRUE),
  seed = list("data/diachek_md.csv", "Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)", TRUE),
  cake = list("data/cake.csv", "angle ~ recipe + temperature + (1 | recipe:replicate)", FALSE)
)
for (id in names(cases)) {
  cs <- cases[[id]]; dn <- sub("\\.csv$", "", basename(cs[[1]]))
  assign(dn, rd(cs[[1]]), envir = globalenv())
  m <- eval(bquote(lmerTest::lmer(.(str2lang(cs[[2]])), data = .(as.name(dn)), REML = .(cs[[3]]))), globalenv())
  ra <- ranova(m)
  out <- list(id = id, data = cs[[1]], formula = cs[[2]], REML = cs[[3]], theta = I(unname(getME(m, "theta"))),
    ranova = tab(ra), ranova_text = txt(ra),
    varcorr_text = txt(VarCorr(m)), fixef_text = txt(fixef(m)),
    coef_text = txt(coef(summary(m))),
    confint_wald = tab(confint(m, method = "Wald")))
  has_factor <- any(vapply(model.frame(m)[, -1, drop = FALSE], is.factor, NA) & names(model.frame(m))[-1] %in% all.vars(nobars(formula(m))[[3]]))
  if (has_factor) {
    lsm <- ls_means(m); lsp <- ls_means(m, pairwise = TRUE)
    out$ls_means <- tab(lsm); out$ls_means_text <- txt(lsm)
    out$ls_pairs <- tab(lsp); out$ls_pairs_text <- txt(lsp)
  }
  if (id %in% c("sleep_slope", "pastes", "penicillin", "sleep_uncorr")) {
    ci <- suppressMessages(suppressWarnings(confint(m, method = "profile", oldNames = FALSE)))
    out$confint_profile <- tab(ci); out$confint_profile_text <- txt(ci)
  }
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE), sprintf("test/fixtures/inference/%s.json", id))
  cat("wrote", id, "\n")
}
