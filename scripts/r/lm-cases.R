# Reference outputs of R's lm / summary.lm for test/lm-golden.test.ts.
# Run from the project root: Rscript scripts/r/lm-cases.R   (writes test/fixtures/lm/*.json)
suppressMessages(library(jsonlite))
options(width = 80, digits = 7, contrasts = c("contr.treatment", "contr.poly"))
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
read_data <- function(path) {
  sch <- fromJSON(sub("\\.csv$", ".schema.json", path), simplifyVector = FALSE)
  raw <- read.csv(path, colClasses = "character", na.strings = character(0), check.names = FALSE, encoding = "UTF-8")
  d <- list()
  for (col in sch$columns) {
    v <- raw[[col$name]]; v[v == "" | v == "NA"] <- NA
    d[[col$name]] <- switch(col$type, numeric = as.numeric(v), integer = as.integer(v),
      factor = factor(v, levels = unlist(col$levels)), ordered = factor(v, levels = unlist(col$levels), ordered = TRUE))
  }
  as.data.frame(d, check.names = FALSE)
}
sleep <- read_data("data/sleepstudy.csv")
sleep_na <- sleep; sleep_na$Reaction[c(3, 50)] <- NA; sleep_na$Days[100] <- NA
write.csv(sleep_na, "test/fixtures/data/sleepstudy_na.csv", row.names = FALSE, na = "", quote = FALSE)
file.copy("data/sleepstudy.schema.json", "test/fixtures/data/sleepstudy_na.schema.json", overwrite = TRUE)
cake <- read_data("data/cake.csv")
dye <- read_data("data/Dyestuff.csv")
md <- read_data("data/diachek_md.csv")
cases <- list(
  list(id = "sleep_days", data = "data/sleepstudy.csv", formula = "Reaction ~ Days", env = sleep, dn = "sleepstudy"),
  list(id = "sleep_noint", data = "data/sleepstudy.csv", formula = "Reaction ~ 0 + Days", env = sleep, dn = "sleepstudy"),
  list(id = "sleep_int_only", data = "data/sleepstudy.csv", formula = "Reaction ~ 1", env = sleep, dn = "sleepstudy"),
  list(id = "sleep_transform", data = "data/sleepstudy.csv", formula = "log(Reaction) ~ Days + I(Days^2)", env = sleep, dn = "sleepstudy"),
  list(id = "sleep_aliased", data = "data/sleepstudy.csv", formula = "Reaction ~ Days + I(2 * Days)", env = sleep, dn = "sleepstudy"),
  list(id = "sleep_na", data = "test/fixtures/data/sleepstudy_na.csv", formula = "Reaction ~ Days", env = sleep_na, dn = "sleepstudy_na"),
  list(id = "sleep_subject", data = "data/sleepstudy.csv", formula = "Reaction ~ Days * Subject", env = sleep, dn = "sleepstudy"),
  list(id = "cake_poly", data = "data/cake.csv", formula = "angle ~ recipe * temperature", env = cake, dn = "cake"),
  list(id = "cake_numeric", data = "data/cake.csv", formula = "angle ~ temp + recipe", env = cake, dn = "cake"),
  list(id = "cake_sum", data = "data/cake.csv", formula = "angle ~ recipe + temp", env = cake, dn = "cake", contrasts = list(recipe = "contr.sum")),
  list(id = "cake_helmert", data = "data/cake.csv", formula = "angle ~ recipe", env = cake, dn = "cake", contrasts = list(recipe = "contr.helmert")),
  list(id = "dyestuff_noint", data = "data/Dyestuff.csv", formula = "Yield ~ 0 + Batch", env = dye, dn = "Dyestuff"),
  list(id = "md_interaction", data = "data/diachek_md.csv", formula = "Effect_Size ~ Condition * Hemisphere", env = md, dn = "diachek_md"),
  list(id = "md_custom", data = "data/diachek_md.csv", formula = "Effect_Size ~ Condition + Hemisphere", env = md, dn = "diachek_md",
       contrasts = list(Condition = matrix(c(-0.5, 0.5), 2, 1, dimnames = list(NULL, "S>W"))))
)
for (cs in cases) {
  e <- new.env(); assign(cs$dn, cs$env, envir = e)
  cl <- if (is.null(cs$contrasts)) bquote(lm(.(str2lang(cs$formula)), data = .(as.name(cs$dn))))
        else bquote(lm(.(str2lang(cs$formula)), data = .(as.name(cs$dn)),
                       contrasts = .(str2lang(paste(deparse(cs$contrasts), collapse = "")))))
  m <- eval(cl, e)
  s <- summary(m)
  cf <- coef(s)
  full <- data.frame(term = names(coef(m)), estimate = unname(coef(m)))
  rows <- lapply(seq_len(nrow(full)), function(i) {
    t <- full$term[i]
    if (t %in% rownames(cf)) list(term = t, estimate = cf[t, 1], se = cf[t, 2], t = cf[t, 3], p = cf[t, 4])
    else list(term = t, estimate = NULL, se = NULL, t = NULL, p = NULL)
  })
  fs <- s$fstatistic
  ll <- logLik(m)
  contr <- NULL
  if (!is.null(cs$contrasts)) contr <- lapply(cs$contrasts, function(c) if (is.character(c)) sub("contr.", "", c, fixed = TRUE) else list(matrix = lapply(seq_len(nrow(c)), function(i) I(unname(c[i, ]))), names = I(colnames(c))))
  out <- list(id = cs$id, data = cs$data, dataName = cs$dn, formula = cs$formula, contrasts = contr,
    nobs = nobs(m), coefficients = rows, sigma = s$sigma, dfResidual = m$df.residual,
    rSquared = s$r.squared, adjRSquared = s$adj.r.squared,
    fStatistic = if (is.null(fs)) NULL else list(value = unname(fs[1]), numdf = unname(fs[2]), dendf = unname(fs[3]),
                                                p = unname(pf(fs[1], fs[2], fs[3], lower.tail = FALSE))),
    residualQuantiles = unname(quantile(residuals(m))), logLik = as.numeric(ll), df = attr(ll, "df"),
    AIC = AIC(m), BIC = BIC(m), fitted_first10 = unname(head(fitted(m), 10)),
    summary_text = paste(capture.output(print(s)), collapse = "\n"))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE),
             sprintf("test/fixtures/lm/%s.json", cs$id))
  cat("wrote", cs$id, "\n")
}
