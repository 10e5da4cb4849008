"""Unit conversions and physical constants used across the models.

Names carry their units; convert only through these constants so that a factor of 1,000 is
never typed twice.
"""

W_PER_KW = 1e3
W_PER_MW = 1e6
KW_PER_MW = 1e3
TFLOPS_PER_PFLOPS = 1e3
PFLOPS_PER_EFLOPS = 1e3
GB_PER_TB = 1e3
PA_PER_KPA = 1e3
L_PER_M3 = 1e3
S_PER_H = 3600.0

#: 0 °C in kelvin.
ZERO_C_IN_K = 273.15

#: Liquid water near 30 °C: density [kg/m3] and specific heat [J/(kg K)] (CRC Handbook of
#: Chemistry and Physics, 97th ed., 2016, "Properties of water").
WATER_DENSITY_KG_PER_M3 = 995.6
WATER_CP_J_PER_KG_K = 4178.0

#: Dry air near 25 °C at sea level: density [kg/m3] and specific heat [J/(kg K)] (CRC Handbook,
#: "Properties of air"); the values reference/facility.md §3.6 uses for flow estimates.
AIR_DENSITY_KG_PER_M3 = 1.2
AIR_CP_J_PER_KG_K = 1006.0

#: Latent heat of vaporisation of water at 20 °C [J/kg] (CRC Handbook, "Enthalpy of
#: vaporization of water"): Q / h_fg gives about 1.47 L per kWh evaporated.
WATER_LATENT_HEAT_J_PER_KG = 2.454e6
#: The same at 30 °C, near a cooling tower's water [J/kg] (IAPWS-95: 2,429.8 kJ/kg).
WATER_LATENT_HEAT_TOWER_J_PER_KG = 2.4298e6
#: Water use in m3/h from a mass flow in kg/s, counting 1 kg as 1 L as water-use figures
#: (L, L/kWh) do; the volume at 30 °C (WATER_DENSITY_KG_PER_M3) is 0.4 % larger.
WATER_M3_PER_H_PER_KG_PER_S = S_PER_H / L_PER_M3

# Energy, carbon, time and compute.
WH_PER_KWH = 1e3
WH_PER_MWH = 1e6
KWH_PER_MWH = 1e3
MWH_PER_GWH = 1e3
G_PER_TONNE = 1e6
HOURS_PER_YEAR = 8760.0  # a common year; leap-year weather years carry their own hours
S_PER_DAY = 86400.0
HOURS_PER_DAY = 24
FLOPS_PER_PFLOPS = 1e15
