# Cross-check of the published kecamatan P0 rows against R survey (manual, not
# run by make test; needs r-cran-survey). After `make run`:
#   Rscript tests/reference/fixtures_p0.R
# prints the largest relative differences of SE, df (degf of the subset) and
# svyciprop(method = "logit") bounds over the kecamatan-year rows of
# out/indicators/poverty.csv, and the rows where R's CI is NaN. Measured:
# 72 rows, SE 8.9e-16, df 0, CI 1.2e-7; NaN for 63.11.08 2022-2024 (df 1).
suppressMessages(library(survey))
a <- read.csv("out/indicators/poverty.csv", colClasses = "character")
gl <- read.csv("out/private/normalized/garis_kemiskinan.csv", colClasses = c(kode_wilayah = "character"))
mx <- 0; mci <- 0; mdf <- 0; n <- 0
for (yr in 2015:2024) {
  d <- read.csv(sprintf("out/private/normalized/susenas_balangan_%d.csv", yr), colClasses = c(psu = "character", strata = "character", kode_wilayah = "character"))
  g <- gl[gl$tahun == yr, ]
  z <- sapply(seq_len(nrow(d)), function(i) { r <- g[g$kode_wilayah == "63.11" & g$daerah == d$daerah_nama[i], ]; if (nrow(r) == 0) r <- g[g$kode_wilayah == "63.11" & g$daerah == "total", ]; r$garis_kemiskinan[1] })
  d$poor <- as.numeric(d$kapita < z)
  des <- svydesign(ids = ~psu, strata = ~strata, weights = ~bobot, data = d, nest = TRUE)
  options(survey.lonely.psu = "adjust")
  for (k in sort(unique(d$kode_wilayah))) {
    s <- subset(des, kode_wilayah == k)
    m <- svymean(~poor, s); df <- degf(s)
    row <- a[a$tahun == yr & a$domain == paste0("kode_wilayah=", k) & a$indikator == "P0", ]
    mdf <- max(mdf, abs(df - as.numeric(row$df)))
    if (row$se == "") next
    se <- 100 * SE(m)[1]; n <- n + 1
    mx <- max(mx, abs(se / as.numeric(row$se) - 1))
    ci <- 100 * attr(svyciprop(~poor, s, method = "logit", df = df), "ci")
    dd <- c(abs(ci[1] / as.numeric(row$ci_lower) - 1), abs(ci[2] / as.numeric(row$ci_upper) - 1)); if (any(is.na(dd))) cat("NA", yr, k, ci, row$ci_lower, row$ci_upper, row$df, "\n") else mci <- max(mci, dd)
  }
}
cat("kecamatan P0 rows", n, "max rel SE diff", mx, "max rel CI diff", mci, "max df diff", mdf, "\n")
