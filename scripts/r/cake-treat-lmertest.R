# lmerTest's summary of cake_ml_treat computed with lmerTest::lmer directly.
# The shared golden's Satterthwaite columns for this model are wrong: make-golden.R fits lme4::lmer on a
# transformed `cake` and as_lmerModLmerTest() re-evaluates the call where `cake` is lme4's own dataset
# (ordered temperature), so the Hessian/Jacobian belong to another model (df 900 instead of 225).
# Run from the project root: Rscript scripts/r/cake-treat-lmertest.R
suppressMessages({library(lme4); library(lmerTest); library(jsonlite)})
options(width = 80, digits = 7)
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8"))
sch <- fromJSON("data/cake.schema.json", simplifyVector = FALSE)
cake <- read.csv("data/cake.csv")
cake$replicate <- factor(cake$replicate, levels = unlist(sch$columns[[1]]$levels))
cake$recipe <- factor(cake$recipe)
cake$temperature <- factor(cake$temperature, levels = unlist(sch$columns[[3]]$levels))
m <- lmerTest::lmer(angle ~ recipe * temperature + (1 | recipe:replicate), data = cake, REML = FALSE)
cf <- coef(summary(m))
rows <- lapply(seq_len(nrow(cf)), function(i) list(term = rownames(cf)[i], df = cf[i, "df"], p = cf[i, "Pr(>|t|)"]))
a <- anova(m)
out <- list(theta = unname(getME(m, "theta")), coefficients = rows,
            anova_typeIII_text = paste(capture.output(print(a)), collapse = "\n"),
            summary_text = paste(capture.output(print(summary(m))), collapse = "\n"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/fixtures/lmertest/cake_ml_treat.json")
