/**
 * A budget hold as a durable run records it, before its request goes out: if the process dies with the request
 * on the wire, the resumed run finds the hold unsettled and charges it at its amount (the attempt's worst case,
 * the only figure that cannot undercount what the provider billed).
 */
export interface JournaledHold {
  /** Unique id (the ledger's reservation id). */
  id: string;
  nodeId: string;
  /** What the hold covers: the attempt's worst case (or an overrun allowance added to it). */
  usd: number;
  tokens: number;
}

/** Where a durable run records its attempts' holds and what they settled at. */
export interface HoldJournal {
  /** Records a hold; resolves once it is durable (the attempt's request waits for it). */
  held(hold: JournaledHold): Promise<void>;
  /** The hold settled at `spend` (nothing, for a returned allowance): records the spend and forgets the hold. */
  settled(hold: JournaledHold, spend: { usd: number; tokens: number }): void;
}
