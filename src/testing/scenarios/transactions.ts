/**
 * Local transactions: a regular charging session with the cable plugged in first, then the
 * token presented (TC_003_CS, TC_E_03_CS). Its steps are the reusable states' own, run as steps
 * so that each is checked whatever state the station is in.
 */
import { defineScenario, step } from '../scenario';
import { Authorized, Booted, EnergyTransferStarted, EVConnectedPreSession } from '../states';

const plugInFirst = [
  step('Manual action: plug in the cable; StatusNotification Preparing (2.x: Occupied)', (ctx) => EVConnectedPreSession.reach(ctx)),
  step('Manual action: present the valid token; Authorize answered Accepted', (ctx) => Authorized.reach(ctx)),
  step('The transaction starts: StartTransaction and StatusNotification Charging (2.x: TransactionEvent, chargingState Charging)', (ctx) =>
    EnergyTransferStarted.reach(ctx),
  ),
];

/** 1.6 TC_003_CS: a regular charging session, cable plugged in first. */
export const TC_003_CS = defineScenario({
  id: 'TC_003_CS',
  title: 'Regular Charging Session - Plugin First',
  versions: ['ocpp1.6'],
  preconditions: [Booted],
  steps: plugInFirst,
});

/** 2.0.1 TC_E_03_CS: a local start, cable plugged in first. */
export const TC_E_03_CS = defineScenario({
  id: 'TC_E_03_CS',
  title: 'Local start transaction - Cable plugin first - Success',
  versions: ['ocpp2.0.1'],
  requirements: ['E01.FR.01', 'E02.FR.01'],
  preconditions: [Booted],
  steps: plugInFirst,
});
