# sae_kecamatan.gp - P0 per kecamatan: direct SUSENAS estimate (open) and small-area estimate (filled), 95 % intervals.
# Written by angka-chart 0.1.0. Render from this directory with
#   gnuplot sae_kecamatan.gp
# which reads sae_kecamatan.dat and writes sae_kecamatan.png/.svg/.pdf (the formats below).
if (!exists("dat")) dat = 'sae_kecamatan.dat'
if (!exists("out")) out = 'sae_kecamatan'
set decimalsign '.'
set datafile missing '?'
set label 80 'Poverty headcount ratio (P0) by district: direct and small-area, Balangan, 2024' at screen 0.012, screen 0.955 left font ',7.75'
set tmargin 4.6
set key at screen 0.012, screen 0.905 left top horizontal maxcols 6 maxrows 2 reverse Left samplen 1.5 spacing 1 width -2 font ',7.5' noautotitle
set border 3 lc rgb '#333333'
set tics nomirror out scale 0.5
set grid ytics lt 1 lc rgb '#E3E3E3' lw 0.5
set style fill solid 1.0 noborder
set lmargin 9
set rmargin 4
set yrange [-0.6:7.6]
set ytics scale 0
set grid noytics xtics
set border 1 lc rgb '#333333'
set lmargin 17
set xrange [0:31.5]
set xtics ('0' 0, '10' 10, '20' 20, '30' 30)
set xlabel 'Percent (%)'
set label 90 'Source: BPS, March SUSENAS (processed)' at screen 0.012, character 0.80 left font ',7' tc rgb '#4D4D4D'
set label 91 'Median RSE direct -> small-area estimate: 71.8 % -> 67.2 %' at screen 0.012, character 1.90 left font ',7' tc rgb '#4D4D4D'
set label 92 'Lines: 95 % confidence intervals; covariates from DTKS; no direct variance: synthetic' at screen 0.012, character 3.00 left font ',7' tc rgb '#4D4D4D'
set bmargin 6.9

# One block per format; edit the plot command in the first.
set terminal svg noenhanced size 454,255 font 'Sans,8' linewidth 1
set output out.'.svg'
plot dat using 4:($1+0.18):5:6:ytic(3) with xerrorbars pt 6 ps 0.9 lw 1.2 lc rgb '#D9730D' title 'Direct (SUSENAS)', \
  dat using 8:($1-0.18):9:10 with xerrorbars pt 7 ps 0.9 lw 1.6 lc rgb '#1B3A6B' title 'Small-area (EBLUP)'
unset output
